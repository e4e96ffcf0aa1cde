#include "core/field_values.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

using namespace marquee;

namespace {

std::vector<FieldValues> read_all(const FieldValuesList& list) {
  std::vector<FieldValues> out;
  for (const auto& v : list) out.push_back(FieldValues(v));
  return out;
}

}  // namespace

// Entries come back in order with their three texts, whatever they hold:
// empty texts, a NUL byte, tabs and line breaks, a long value.
TEST(FieldValuesList, EntriesComeBackInOrderWithTheirTexts) {
  const std::string long_value(70000, 'x');
  const std::vector<FieldValues> want{{"title", "", "Opening night"},
                                      {"", "", ""},
                                      {"room", std::string("a\0b", 3), "Hall\t2\n"},
                                      {"description", long_value, "short"}};
  FieldValuesList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(), list.end());
  for (const auto& f : want) list.push_back(f);
  EXPECT_EQ(list.size(), want.size());
  EXPECT_FALSE(list.empty());
  EXPECT_EQ(read_all(list), want);
  EXPECT_EQ(std::distance(list.begin(), list.end()), static_cast<std::ptrdiff_t>(want.size()));
  EXPECT_EQ(list.front(), want[0]);
  EXPECT_EQ(list.at(2), want[2]);
  EXPECT_EQ(list.at(3).before.size(), 70000u);
  EXPECT_THROW(list.at(4), std::out_of_range);
  EXPECT_THROW(FieldValuesList().front(), std::out_of_range);
  // Found like any range.
  const auto room = std::find_if(list.begin(), list.end(), [](const FieldValuesView& v) { return v.field == "room"; });
  ASSERT_NE(room, list.end());
  EXPECT_EQ((*room).after, "Hall\t2\n");
}

// Lists are equal when their entries are, however each was built; a list
// built from an initializer list equals one built entry by entry.
TEST(FieldValuesList, EqualWhenTheirEntriesAre) {
  FieldValuesList by_entry;
  by_entry.reserve(2, 64);
  by_entry.push_back("title", "A", "B");
  by_entry.push_back(FieldValuesView{"room", "", "Hall 2"});
  const FieldValuesList listed{{"title", "A", "B"}, {"room", "", "Hall 2"}};
  EXPECT_EQ(by_entry, listed);
  EXPECT_NE(listed, (FieldValuesList{{"title", "A", "B"}}));
  EXPECT_NE(listed, (FieldValuesList{{"title", "A", "B"}, {"room", "Hall 2", ""}}));
  // The same bytes split differently are other entries.
  EXPECT_NE((FieldValuesList{{"ab", "", ""}}), (FieldValuesList{{"a", "b", ""}}));
  FieldValuesList copy = listed;
  copy.push_back("status", "published", "cancelled");
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_EQ(listed.size(), 2u);
  EXPECT_EQ(copy.at(2), (FieldValues{"status", "published", "cancelled"}));
  // An entry of the list itself appended again, however often its buffer moves.
  FieldValuesList own{{"title", "A fairly long title before", "A fairly long title after"}};
  for (int i = 0; i < 20; ++i) own.push_back(own.front());
  EXPECT_EQ(own.size(), 21u);
  for (const auto& v : own) EXPECT_EQ(v, (FieldValues{"title", "A fairly long title before", "A fairly long title after"}));
}
