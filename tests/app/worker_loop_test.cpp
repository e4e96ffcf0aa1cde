// The one background-loop helper (issue 15): runs at start or after the first
// interval, again when woken, goes on after a run that threw, and stop()
// ends a wait at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "app/worker_loop.hpp"

using namespace marquee;
using namespace std::chrono_literals;

namespace {

constexpr auto kLong = std::chrono::hours(1);  // a wait no test sits out

// Polls `done` for up to 5 s.
template <typename F>
bool eventually(F done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

}  // namespace

TEST(WorkerLoop, RunsAtStartThenWhenWoken) {
  std::atomic<int> runs{0};
  WorkerLoop loop(kLong, [&] { ++runs; }, nullptr);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  loop.wake();
  ASSERT_TRUE(eventually([&] { return runs == 2; }));
  const auto before = std::chrono::steady_clock::now();
  loop.stop();  // ends the hour-long wait at once
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  EXPECT_EQ(runs, 2);
}

TEST(WorkerLoop, RunsEveryInterval) {
  std::atomic<int> runs{0};
  WorkerLoop loop(5ms, [&] { ++runs; }, nullptr);
  EXPECT_TRUE(eventually([&] { return runs >= 3; }));
}

TEST(WorkerLoop, WaitsTheFirstIntervalUnlessRunAtStart) {
  std::atomic<int> runs{0};
  {
    WorkerLoop loop(kLong, [&] { ++runs; }, nullptr, false);
    std::this_thread::sleep_for(50ms);
  }  // destroyed during its first wait
  EXPECT_EQ(runs, 0);
  WorkerLoop loop(20ms, [&] { ++runs; }, nullptr, false);
  EXPECT_TRUE(eventually([&] { return runs >= 1; }));
}

TEST(WorkerLoop, AWakeDuringARunMakesTheNextFollowAtOnce) {
  std::atomic<int> runs{0};
  WorkerLoop loop;
  loop.wake();  // before start: the first wait ends at once
  loop.start(kLong, [&] { ++runs; }, nullptr);
  EXPECT_TRUE(eventually([&] { return runs == 2; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 2);
}

TEST(WorkerLoop, ARunThatThrowsIsReportedAndTheLoopGoesOn) {
  std::atomic<int> runs{0}, errors{0};
  WorkerLoop loop(
      5ms,
      [&] {
        if (++runs == 1) throw std::runtime_error("first run fails");
      },
      [&](const std::exception& e) {
        EXPECT_STREQ(e.what(), "first run fails");
        ++errors;
      });
  EXPECT_TRUE(eventually([&] { return runs >= 3; }));
  EXPECT_EQ(errors, 1);
}

TEST(WorkerLoop, APacedStepChoosesItsNextWaitAndErrorsWaitTheErrorWait) {
  std::atomic<int> runs{0}, errors{0};
  WorkerLoop loop;
  loop.start_paced(
      [&]() -> WorkerLoop::Duration {
        const int n = ++runs;
        if (n == 2) throw std::runtime_error("second run fails");
        return n < 3 ? WorkerLoop::Duration::zero() : kLong;
      },
      5ms, [&](const std::exception&) { ++errors; });
  ASSERT_TRUE(eventually([&] { return runs == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 3);  // the third run asked for an hour
  EXPECT_EQ(errors, 1);
  loop.stop();
  loop.stop();  // idempotent
}

TEST(WorkerLoop, StoppedBeforeStartNeverRuns) {
  std::atomic<int> runs{0};
  WorkerLoop loop;
  loop.stop();
  loop.start(1ms, [&] { ++runs; }, nullptr);
  std::this_thread::sleep_for(20ms);
  loop.stop();
  EXPECT_EQ(runs, 0);
}
