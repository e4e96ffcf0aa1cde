// SlotsMadeAhead: values come made in order, each usable once waited for;
// what a waiter writes into its values is what take() hands over; a value
// that cannot be made is thrown to every waiter and to take().
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "app/slots_made_ahead.hpp"

using marquee::SlotsMadeAhead;

TEST(SlotsMadeAhead, WaitersWriteIntoTheirValuesWhileTheRestAreMade) {
  constexpr std::size_t kCount = 50000;
  SlotsMadeAhead<std::string> slots(kCount);
  ASSERT_EQ(slots.size(), kCount);
  std::string* const base = slots.data();
  // Two waiters, each writing into its own values as soon as they are made (as
  // two decoding threads do with their chunks).
  const auto fill = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; i += 700) {
      const std::size_t upto = std::min(end, i + 700);
      slots.wait_for(upto);
      for (std::size_t j = i; j < upto; ++j) {
        EXPECT_TRUE(base[j].empty()) << j;  // value-initialised
        base[j] = "value " + std::to_string(j);
      }
    }
  };
  std::thread other([&] { fill(kCount / 2, kCount); });
  fill(0, kCount / 2);
  other.join();
  slots.wait_for(kCount * 2);  // more than are made: all of them
  std::vector<std::string> all = slots.take();
  ASSERT_EQ(all.size(), kCount);
  EXPECT_EQ(all.data(), base) << "handed over in place, not copied";
  for (std::size_t j = 0; j < kCount; ++j) ASSERT_EQ(all[j], "value " + std::to_string(j));
}

TEST(SlotsMadeAhead, NoneToMakeIsAnEmptyVector) {
  SlotsMadeAhead<std::string> slots(0);
  slots.wait_for(10);
  EXPECT_TRUE(slots.take().empty());
}

namespace {
std::atomic<int> constructed{0};
struct FailsAt1500 {
  FailsAt1500() {
    if (++constructed == 1500) throw std::runtime_error("value 1500 could not be made");
  }
};
}  // namespace

TEST(SlotsMadeAhead, AValueThatCannotBeMadeIsThrownToWaitersAndToTake) {
  constructed = 0;
  SlotsMadeAhead<FailsAt1500> slots(5000);
  EXPECT_THROW(slots.wait_for(3000), std::runtime_error);
  EXPECT_THROW(slots.wait_for(4000), std::runtime_error) << "and again to a later waiter";
  EXPECT_THROW(slots.take(), std::runtime_error);
  EXPECT_EQ(constructed.load(), 1500) << "nothing made after the failure";
}

namespace {
std::atomic<int> live{0};
struct Counted {
  Counted() { ++live; }
  Counted(const Counted&) { ++live; }
  ~Counted() { --live; }
};
}  // namespace

TEST(SlotsMadeAhead, DestroyedUntakenWaitsForTheMakerAndDestroysWhatItMade) {
  {
    SlotsMadeAhead<Counted> slots(100000);
    slots.wait_for(1);
    EXPECT_GE(live.load(), 1);
  }
  EXPECT_EQ(live.load(), 0) << "every value made is destroyed, none made after";
}
