#include "app/pipeline/merged_placement.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace marquee::pipeline {
namespace {

/// Runs one thread per reader: each arrives with its keys (or leaves, where
/// `leaves` says so) and fills its places with its key, its reader number
/// (in `source`) and its rank (in `source_index`).
std::vector<Registrant> place(const std::vector<std::vector<std::string>>& keys, const std::vector<bool>& leaves) {
  MergedPlacement placement(keys.size());
  std::vector<std::thread> readers;
  for (std::size_t r = 0; r < keys.size(); ++r)
    readers.emplace_back([&, r] {
      if (leaves[r]) {
        placement.leave(r);
        return;
      }
      placement.expect(r, keys[r].size() + r);  // more than it places: the list is cut to what was placed
      std::vector<std::string_view> views(keys[r].begin(), keys[r].end());
      const auto places = placement.arrive(r, views);
      ASSERT_EQ(places.at.size(), keys[r].size());
      for (std::size_t i = 0; i < keys[r].size(); ++i) {
        Registrant& at = placement.list()[places.at[i]];
        at.key = keys[r][i];
        at.source = std::to_string(r);
        at.source_index = places.rank;
      }
    });
  placement.make_list();
  for (auto& t : readers) t.join();
  return placement.take();
}

std::vector<std::pair<std::string, std::string>> keys_and_sources(const std::vector<Registrant>& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : list) out.emplace_back(r.key, r.source);
  return out;
}

TEST(MergedPlacement, ReadersFillOneListByKeyThenByReader) {
  const auto list = place({{"a", "d", "g"}, {"b", "d", "h"}, {"c", "e"}}, {false, false, false});
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a", "0"}, {"b", "1"}, {"c", "2"}, {"d", "0"}, {"d", "1"}, {"e", "2"}, {"g", "0"}, {"h", "1"}};
  EXPECT_EQ(keys_and_sources(list), want);
  for (const auto& r : list) EXPECT_EQ(std::to_string(r.source_index), r.source);  // every reader arrived: rank = number
}

TEST(MergedPlacement, AReaderThatLeavesIsNotWaitedForNorCounted) {
  const auto list = place({{"q"}, {"x"}, {}, {"w", "y"}}, {true, false, false, false});
  const std::vector<std::pair<std::string, std::string>> want = {{"w", "3"}, {"x", "1"}, {"y", "3"}};
  EXPECT_EQ(keys_and_sources(list), want);
  EXPECT_EQ(list[0].source_index, 2u);  // reader 3: readers 1 and 2 (2 with no keys) arrived before it
  EXPECT_EQ(list[1].source_index, 0u);  // reader 1: reader 0 left
  EXPECT_TRUE(place({{"a"}, {"b"}}, {true, true}).empty());
  EXPECT_TRUE(place({}, {}).empty());
}

TEST(MergedPlacement, ManyKeysComeOutAsOneSortOfAll) {
  std::mt19937 random(20261207);
  std::vector<std::vector<std::string>> keys(4);
  std::vector<std::pair<std::string, std::string>> all;
  for (std::size_t r = 0; r < keys.size(); ++r) {
    for (int i = 0; i < 5000; ++i) keys[r].push_back(std::to_string(random() % 12000));  // some keys in several readers
    std::sort(keys[r].begin(), keys[r].end());
    keys[r].erase(std::unique(keys[r].begin(), keys[r].end()), keys[r].end());
    for (const auto& k : keys[r]) all.emplace_back(k, std::to_string(r));
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(keys_and_sources(place(keys, {false, false, false, false})), all);
}

TEST(MergedPlacement, EachReaderComesOnceWithNoMoreKeysThanItExpected) {
  MergedPlacement placement(1);
  const std::vector<std::string_view> keys = {"a", "b"};
  EXPECT_THROW(placement.expect(1, 2), std::logic_error);  // out of range
  EXPECT_THROW(placement.arrive(0, {}), std::logic_error);  // not expected yet
  placement.expect(0, 1);
  EXPECT_THROW(placement.expect(0, 2), std::logic_error);
  placement.make_list();  // (were the next check gone, arrive would then not wait for ever)
  EXPECT_THROW(placement.arrive(0, keys), std::logic_error);  // two keys, one expected
  const auto places = placement.arrive(0, {"a"});  // the only reader: nobody to wait for
  EXPECT_EQ(places.at, std::vector<std::size_t>{0});
  placement.leave(0);  // already came: nothing
  EXPECT_THROW(placement.arrive(0, keys), std::logic_error);
  EXPECT_EQ(placement.take().size(), 1u);
}

TEST(MergedPlacement, AReaderMayLeaveAfterExpecting) {
  MergedPlacement placement(2);
  std::thread reader([&] {
    placement.expect(1, 3);
    const auto places = placement.arrive(1, {"b", "c"});
    EXPECT_EQ(places.at, (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(places.rank, 0u);  // reader 0 left
    placement.list()[0].key = "b";
    placement.list()[1].key = "c";
  });
  placement.expect(0, 5);  // its export read, then a failure
  placement.leave(0);
  placement.make_list();
  reader.join();
  const auto list = placement.take();
  ASSERT_EQ(list.size(), 2u);  // 8 places expected, 2 used
  EXPECT_EQ(list[1].key, "c");
}

TEST(MergedPlacement, ReadersWaitingWhenTheStartingThreadGivesUpAreToldSo) {
  MergedPlacement placement(2);
  std::thread reader([&] {
    placement.expect(0, 1);
    EXPECT_THROW(placement.arrive(0, {"a"}), std::runtime_error);
  });
  placement.leave(1);  // never started
  placement.abandon();
  reader.join();
}

}  // namespace
}  // namespace marquee::pipeline
