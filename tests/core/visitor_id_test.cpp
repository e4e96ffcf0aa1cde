#include <gtest/gtest.h>

#include <set>

#include "core/visitor_id.hpp"

using namespace marquee;

TEST(VisitorId, SameInputsSameIdUnderOneSalt) {
  const std::string salt = new_visitor_salt();
  ASSERT_EQ(salt.size(), 64u);
  const std::string a = visitor_id(salt, "203.0.113.7", "Mozilla/5.0 Firefox/120", "https://fest.example");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, visitor_id(salt, "203.0.113.7", "Mozilla/5.0 Firefox/120", "https://fest.example"));
  EXPECT_EQ(a.find("203.0.113.7"), std::string::npos);
}

TEST(VisitorId, EveryInputChangesTheId) {
  const std::string salt = new_visitor_salt();
  std::set<std::string> ids{
      visitor_id(salt, "203.0.113.7", "UA", "site"),
      visitor_id(new_visitor_salt(), "203.0.113.7", "UA", "site"),
      visitor_id(salt, "203.0.113.8", "UA", "site"),
      visitor_id(salt, "203.0.113.7", "UA2", "site"),
      visitor_id(salt, "203.0.113.7", "UA", "site2"),
      // Length prefixes: moving a character between parts is another visitor.
      visitor_id(salt, "203.0.113.7U", "A", "site"),
  };
  EXPECT_EQ(ids.size(), 6u);
}

TEST(VisitorId, SaltsAreRandom) { EXPECT_NE(new_visitor_salt(), new_visitor_salt()); }

TEST(VisitorId, RejectsAMalformedSalt) {
  EXPECT_THROW(visitor_id("abc", "a", "b", "c"), std::invalid_argument);
  EXPECT_THROW(visitor_id(std::string(64, 'z'), "a", "b", "c"), std::invalid_argument);
}
