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

namespace {

// A value that counts how often values of its kind are moved or copied.
struct Counted {
  static inline int moves = 0;
  static inline int copies = 0;
  int value = 0;
  explicit Counted(int v) : value(v) {}
  Counted(const Counted& o) : value(o.value) { ++copies; }
  Counted(Counted&& o) noexcept : value(o.value) { ++moves; }
  Counted& operator=(const Counted& o) {
    value = o.value;
    ++copies;
    return *this;
  }
  Counted& operator=(Counted&& o) noexcept {
    value = o.value;
    ++moves;
    return *this;
  }
};

bool by_value(const Counted& a, const Counted& b) { return a.value < b.value; }

}  // namespace

TEST(SortedByIndex, PermutesInPlaceWithOneMovePerItemAndOnePerCycle) {
  // 1,000 values in a fixed scrambled order (7 is coprime to 1,000): every
  // value ends where std::sort puts it, with no copy and at most 2n moves.
  std::vector<Counted> items;
  items.reserve(1000);
  for (int i = 0; i < 1000; ++i) items.emplace_back((i * 7 + 3) % 1000);
  Counted::moves = Counted::copies = 0;
  const Counted* storage = items.data();
  const auto sorted = sorted_by_index(std::move(items), by_value);
  ASSERT_EQ(sorted.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i].value, i) << i;
  EXPECT_EQ(sorted.data(), storage) << "sorted in the vector given, not in a new one";
  EXPECT_EQ(Counted::copies, 0);
  EXPECT_GT(Counted::moves, 900);
  EXPECT_LE(Counted::moves, 2000);

  // Three items in a 3-cycle: 3 moves into place, 1 into and out of the held value.
  std::vector<Counted> cycle;
  for (int v : {2, 0, 1}) cycle.emplace_back(v);
  Counted::moves = 0;
  const auto three = sorted_by_index(std::move(cycle), by_value);
  EXPECT_EQ(three[0].value, 0);
  EXPECT_EQ(three[1].value, 1);
  EXPECT_EQ(three[2].value, 2);
  EXPECT_EQ(Counted::moves, 4);
}

TEST(SortedByIndex, ItemsAlreadyInOrderAreNotMoved) {
  std::vector<Counted> items;
  for (int v : {1, 2, 2, 5, 9}) items.emplace_back(v);
  Counted::moves = Counted::copies = 0;
  const auto same = sorted_by_index(std::move(items), by_value);
  EXPECT_EQ(Counted::moves, 0);
  EXPECT_EQ(Counted::copies, 0);
  ASSERT_EQ(same.size(), 5u);
  EXPECT_EQ(same[3].value, 5);
}

// sorted_by_key: the order of the keys, with the same moves as
// sorted_by_index (none for items already in order, no copy, at most 2n);
// each key taken once for items in order, and once more each after the
// first out of order.
TEST(SortedByKey, SortsByTheKeysTakenOnceMovingEachValueOnce) {
  std::vector<Counted> items;
  items.reserve(1000);
  for (int i = 0; i < 1000; ++i) items.emplace_back((i * 7 + 3) % 1000);
  Counted::moves = Counted::copies = 0;
  int keys_taken = 0;
  const Counted* storage = items.data();
  const auto sorted = sorted_by_key(std::move(items), [&](const Counted& c) {
    ++keys_taken;
    return -c.value;  // descending
  });
  EXPECT_EQ(keys_taken, 2 + 1000) << "the first two found out of order, then each once";
  ASSERT_EQ(sorted.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i].value, 999 - i) << i;
  EXPECT_EQ(sorted.data(), storage);
  EXPECT_EQ(Counted::copies, 0);
  EXPECT_LE(Counted::moves, 2000);

  std::vector<Counted> in_order;
  for (int v : {1, 2, 2, 5, 9}) in_order.emplace_back(v);
  Counted::moves = Counted::copies = 0;
  keys_taken = 0;
  const auto same = sorted_by_key(std::move(in_order), [&](const Counted& c) {
    ++keys_taken;
    return c.value;
  });
  EXPECT_EQ(keys_taken, 5);
  EXPECT_EQ(Counted::moves, 0);
  EXPECT_EQ(Counted::copies, 0);
  EXPECT_EQ(same[4].value, 9);
  EXPECT_TRUE(sorted_by_key(std::vector<Counted>{}, [](const Counted& c) { return c.value; }).empty());

  std::vector<Counted> last_out;  // only the last pair out of order: found, then all sorted
  for (int v : {1, 2, 3, 5, 4}) last_out.emplace_back(v);
  keys_taken = 0;
  const auto fixed = sorted_by_key(std::move(last_out), [&](const Counted& c) {
    ++keys_taken;
    return c.value;
  });
  EXPECT_EQ(keys_taken, 5 + 5);
  ASSERT_EQ(fixed.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(fixed[i].value, i + 1) << i;
  std::vector<Counted> one;
  one.emplace_back(7);
  EXPECT_EQ(sorted_by_key(std::move(one), [](const Counted& c) { return c.value; })[0].value, 7);
}
