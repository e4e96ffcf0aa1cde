#include "core/programme_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace marquee;

namespace {

Event at(UnixSeconds starts_at, std::string key) {
  Event e;
  e.starts_at = starts_at;
  e.key = std::move(key);
  return e;
}

}  // namespace

// The programme's order is by start, then by key in byte order (bytes over
// 0x7F after ASCII, a key before its own extensions), whatever the keys'
// first 8 bytes share: in_programme_order gives what std::sort with the
// plain comparison gives.
TEST(ProgrammeOrder, ByStartThenKeyInByteOrder) {
  const std::vector<std::string> keys = {"ev-1",        "ev-10",        "ev-100000",    "ev-1000001", "ev-1000000",
                                         "a",           "",             "ab",           std::string("ab\0", 3),
                                         "abcdefgh",    "abcdefgha",    "abcdefgh-b",   "abcdefgh-a", "\xc3\xa9t\xc3\xa9",
                                         "zz",          "\xff",         "abcdefg\xff",  "abcdefg~"};
  std::vector<Event> events;
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (const UnixSeconds start : {UnixSeconds{1700000000}, UnixSeconds{-5}, UnixSeconds{1700000000 + 60}})
      events.push_back(at(start + static_cast<UnixSeconds>(i % 2), keys[(i * 7) % keys.size()]));
  std::vector<Event> expected = events;
  std::sort(expected.begin(), expected.end(), [](const Event& x, const Event& y) {
    return x.starts_at != y.starts_at ? x.starts_at < y.starts_at : x.key < y.key;
  });
  const std::vector<Event> ordered = in_programme_order(events);
  ASSERT_EQ(ordered.size(), expected.size());
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    EXPECT_EQ(ordered[i].starts_at, expected[i].starts_at) << i;
    EXPECT_EQ(ordered[i].key, expected[i].key) << i;
  }
  // The same order as pointers into blocks (programme_order_of), from any order and from the order itself.
  for (const auto* source : {&events, &expected}) {
    EventBlocks blocks;
    std::vector<const Event*> added;
    for (Event e : *source) added.push_back(&blocks.push_back(std::move(e)));
    const std::vector<const Event*> order = programme_order_of(blocks);
    ASSERT_EQ(order.size(), expected.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      EXPECT_EQ(order[i]->starts_at, expected[i].starts_at) << i;
      EXPECT_EQ(order[i]->key, expected[i].key) << i;
      EXPECT_NE(std::find(added.begin(), added.end(), order[i]), added.end()) << i;  // an event in its block, not a copy
    }
  }
  EXPECT_TRUE(programme_order_of(EventBlocks{}).empty());
  // The keys alone agree with the comparison, both ways.
  for (const Event& x : events)
    for (const Event& y : events) {
      const bool less = x.starts_at != y.starts_at ? x.starts_at < y.starts_at : x.key < y.key;
      EXPECT_EQ(programme_order_key(x) < programme_order_key(y), less) << x.key << " " << y.key;
    }
}

// Events appended to blocks stay where they were put, across blocks of
// every size, and come back in the order appended.
TEST(EventBlocks, EventsStayWhereTheyWerePutInTheOrderAppended) {
  EventBlocks blocks;
  EXPECT_TRUE(blocks.empty());
  std::vector<const Event*> where;  // each event's address when appended: blocks of every size, the largest twice
  for (int i = 0; i < 50000; ++i) where.push_back(&blocks.push_back(at(i, "k" + std::to_string(i))));
  EXPECT_EQ(blocks.size(), 50000u);
  std::size_t i = 0;
  blocks.for_each([&](const Event& e) {
    ASSERT_LT(i, where.size());
    EXPECT_EQ(&e, where[i]) << i;  // not moved since
    EXPECT_EQ(e.key, "k" + std::to_string(i));
    ++i;
  });
  EXPECT_EQ(i, 50000u);
  const EventBlocks moved = std::move(blocks);  // the blocks move, their events do not
  i = 0;
  moved.for_each([&](const Event& e) { EXPECT_EQ(&e, where[i++]); });
}
