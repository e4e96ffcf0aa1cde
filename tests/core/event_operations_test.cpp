// The reconfirmation bounds of core/event_operations: asked 1 h to two weeks
// ahead, released at least an hour after asking and an hour before the start,
// never without asking.
#include <gtest/gtest.h>

#include "core/event_operations.hpp"

using namespace marquee;

TEST(CheckReconfirmation, BoundsOfAskingAndReleasing) {
  EXPECT_EQ(check_reconfirmation(std::nullopt, std::nullopt), "");
  EXPECT_EQ(check_reconfirmation(48, std::nullopt), "");
  EXPECT_EQ(check_reconfirmation(48, 24), "");
  EXPECT_EQ(check_reconfirmation(48, 47), "");
  EXPECT_EQ(check_reconfirmation(336, 1), "");
  EXPECT_NE(check_reconfirmation(0, std::nullopt), "");
  EXPECT_NE(check_reconfirmation(337, std::nullopt), "");
  EXPECT_NE(check_reconfirmation(48, 48), "") << "an hour to answer at least";
  EXPECT_NE(check_reconfirmation(48, 0), "") << "released before the start";
  EXPECT_NE(check_reconfirmation(std::nullopt, 24), "") << "no release without asking";
  EXPECT_NE(check_reconfirmation(0, std::nullopt).find("between 1 and 336"), std::string::npos);
  EXPECT_NE(check_reconfirmation(1, 1).find("ask 2 hours or more ahead"), std::string::npos);
}
