// The programme cache under concurrency (issue 13: the ThreadSanitizer build
// runs this): readers on many threads while publishes swap the programme,
// the polling thread and refresh() from the publishing thread racing.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "app/programme_cache.hpp"
#include "app/publisher.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
const ManualClock kClock(1795000000);
}

template <typename B>
using ProgrammeCacheTest = StoreTest<B>;
TYPED_TEST_SUITE(ProgrammeCacheTest, Backends, BackendNames);

TYPED_TEST(ProgrammeCacheTest, ReadersAlwaysSeeWholeProgrammesWhilePublishesSwapThem) {
  Store& store = *this->store_;
  std::atomic<int> swaps{0};
  ProgrammeCache cache(store, [&](const ProgrammePtr&) { ++swaps; });
  Publisher publisher(store, kClock, [&] { cache.refresh(); });
  auto publish_n_events = [&](int n) {
    std::vector<Event> events;
    for (int i = 0; i < n; ++i) {
      Event e;
      e.key = "e" + std::to_string(i);
      e.title = "Event " + std::to_string(i) + " of " + std::to_string(n);
      e.starts_at = 1800000000 + i * 3600;
      e.ends_at = e.starts_at + 1800;
      e.time_zone = "Europe/Berlin";
      events.push_back(e);
    }
    store.upsert_events(events, kClock.now());
    publisher.publish("test", "n=" + std::to_string(n));
  };
  publish_n_events(1);
  cache.refresh();
  cache.start_polling(2);
  std::atomic<bool> done{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r)
    readers.emplace_back([&] {
      while (!done) {
        auto p = cache.current();
        ASSERT_TRUE(p);
        // A programme is whole: every event it lists says how many there are.
        const auto& entries = p->entries();
        const std::string suffix = " of " + std::to_string(entries.size());
        for (const auto& entry : entries) ASSERT_TRUE(entry.event.title.ends_with(suffix)) << entry.event.title;
        (void)cache.serving();
        ++reads;
      }
    });
  for (int n = 2; n <= 12; ++n) publish_n_events(n);
  // The publisher refreshes the cache before publish() returns: the last
  // publish (12 events; upserts never remove any) is being served now.
  EXPECT_EQ(cache.current()->entries().size(), 12u);
  done = true;
  for (auto& t : readers) t.join();
  cache.stop();
  EXPECT_EQ(cache.current()->entries().size(), 12u);
  EXPECT_GE(swaps.load(), 2);
  EXPECT_GT(reads.load(), 0);
}
