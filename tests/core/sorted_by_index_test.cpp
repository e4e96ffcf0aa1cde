#include "core/sorted_by_index.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace marquee;

TEST(SortedByIndex, SortsByTheOrderGivenMovingEachValueOnce) {
  std::vector<std::string> words = {"pear", "apple", "fig", "banana", "cherry"};
  EXPECT_EQ(sorted_by_index(words, [](const std::string& a, const std::string& b) { return a < b; }),
            (std::vector<std::string>{"apple", "banana", "cherry", "fig", "pear"}));
  const auto by_length = sorted_by_index(words, [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  ASSERT_EQ(by_length.size(), 5u);
  EXPECT_EQ(by_length[0].size(), 6u);  // banana and cherry tie at 6, in either order
  EXPECT_EQ(by_length[1].size(), 6u);
  EXPECT_EQ(by_length[4], "fig");
  EXPECT_TRUE(sorted_by_index(std::vector<std::string>{}, [](const std::string& a, const std::string& b) { return a < b; })
                  .empty());
}
