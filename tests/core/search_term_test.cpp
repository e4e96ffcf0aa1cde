#include <gtest/gtest.h>

#include "core/search_term.hpp"
#include "core/text.hpp"

using namespace marquee;

TEST(SearchTerm, FoldsCaseAndCollapsesWhitespace) {
  EXPECT_EQ(normalize_search_term("  Jazz   NIGHT \t"), "jazz night");
  EXPECT_EQ(normalize_search_term("Straße"), normalize_search_term("STRASSE"));
  EXPECT_EQ(normalize_search_term(""), "");
  EXPECT_EQ(normalize_search_term("   "), "");
}

TEST(SearchTerm, IsCutToAHundredCodePointsNeverInsideACharacter) {
  std::string long_query;
  for (int i = 0; i < 150; ++i) long_query += "ж";  // two bytes each
  const std::string t = normalize_search_term(long_query);
  EXPECT_EQ(t.size(), 200u);  // 100 code points of 2 bytes
  EXPECT_EQ(normalize_search_term(std::string(300, 'a')), std::string(100, 'a'));
}

TEST(SearchTerm, InvalidUtf8GivesNothing) { EXPECT_EQ(normalize_search_term("abc\xff"), ""); }

TEST(Utf8Prefix, NeverEndsInsideACharacter) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("abc", 2), "ab");
  EXPECT_EQ(utf8_prefix("жжж", 4), "жж");  // on a boundary: both whole characters
  EXPECT_EQ(utf8_prefix("жжж", 3), "ж");   // inside the second: it goes
  EXPECT_EQ(utf8_prefix("ж", 1), "");
}
