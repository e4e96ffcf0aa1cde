// The registration batcher (group commit) on SQLite and PostgreSQL: requests
// from many threads at once, for one hot event and for several others, are
// each answered once, in batches that add up to the requests, and the places
// are exactly the capacity; one worker serves every event in turn.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/registration_batcher.hpp"
#include "support/event_builder.hpp"
#include "support/registration_request.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 10;

// A request of attendee `n` (p<n>@example.org).
RegistrationRequest person(const std::string& event, int n) { return a_registration(event, "p" + std::to_string(n)); }

struct Observed {
  std::mutex mutex;
  std::size_t batches = 0, registrations = 0, failed = 0;
  RegistrationBatcher::BatchObserver observer() {
    return [this](std::size_t size, double, bool committed) {
      std::lock_guard lock(mutex);
      ++batches;
      registrations += size;
      if (!committed) ++failed;
    };
  }
};

}  // namespace

template <typename B>
using RegistrationBatching = StoreTest<B>;
TYPED_TEST_SUITE(RegistrationBatching, Backends, BackendNames);

TYPED_TEST(RegistrationBatching, ConcurrentRequestsAreEachAnsweredOnceAndNeverOverbook) {
  this->store_->upsert_events({an_event("hot").at(kStart, 3600).registration(40, true),
                               an_event("small-a").at(kStart, 3600).registration(5, false),
                               an_event("small-b").at(kStart, 3600).registration(5, false)},
                              kNow);
  ManualClock clock(kNow);
  Observed seen;
  std::map<std::string, std::map<RegisterResult, int>> results;
  std::mutex results_mutex;
  constexpr int kThreads = 16, kEach = 12;
  {
    RegistrationBatcher batcher(*this->store_, clock, 4, 64, seen.observer());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const std::string event = i % 4 == 1 ? "small-a" : i % 4 == 3 ? "small-b" : "hot";
          const RegisterOutcome out = batcher.submit(person(event, t * kEach + i));
          std::lock_guard lock(results_mutex);
          ++results[event][out.result];
        }
      });
    for (auto& t : threads) t.join();
  }
  const int hot = kThreads * kEach / 2, each_small = kThreads * kEach / 4;
  EXPECT_EQ(results["hot"][RegisterResult::confirmed], 40);
  EXPECT_EQ(results["hot"][RegisterResult::waitlisted], hot - 40);
  for (const std::string small : {"small-a", "small-b"}) {
    EXPECT_EQ(results[small][RegisterResult::confirmed], 5) << small;
    EXPECT_EQ(results[small][RegisterResult::full], each_small - 5) << small;
    EXPECT_EQ(this->store_->event_counts(small)->confirmed, 5) << small;
  }
  EXPECT_EQ(this->store_->event_counts("hot")->confirmed, 40);
  EXPECT_EQ(this->store_->event_counts("hot")->waitlisted, hot - 40);
  EXPECT_EQ(this->store_->list_registrations("", false).size(), static_cast<std::size_t>(hot + 10));
  EXPECT_EQ(seen.registrations, static_cast<std::size_t>(kThreads * kEach));  // each request in one batch
  EXPECT_EQ(seen.failed, 0u);
}

// One worker: when its batch of one event ends it takes the next ready
// event's queue itself (no other worker is there to be woken).
TYPED_TEST(RegistrationBatching, OneWorkerServesEveryEvent) {
  std::vector<Event> events;
  for (const std::string key : {"e-a", "e-b", "e-c", "e-d"})
    events.push_back(an_event(key).at(kStart, 3600).registration(100, false));
  this->store_->upsert_events(events, kNow);
  ManualClock clock(kNow);
  Observed seen;
  std::atomic<int> confirmed{0};
  {
    RegistrationBatcher batcher(*this->store_, clock, 1, 8, seen.observer());
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i)
          if (batcher.submit(person(events[static_cast<std::size_t>((t + i) % 4)].key, t * 10 + i)).result ==
              RegisterResult::confirmed)
            ++confirmed;
      });
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(confirmed.load(), 80);
  EXPECT_EQ(seen.registrations, 80u);
  EXPECT_EQ(seen.failed, 0u);
  for (const auto& e : events) EXPECT_EQ(this->store_->event_counts(e.key)->confirmed, 20) << e.key;
}
