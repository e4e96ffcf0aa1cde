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
  // The keys alone agree with the comparison, both ways.
  for (const Event& x : events)
    for (const Event& y : events) {
      const bool less = x.starts_at != y.starts_at ? x.starts_at < y.starts_at : x.key < y.key;
      EXPECT_EQ(programme_order_key(x) < programme_order_key(y), less) << x.key << " " << y.key;
    }
}
