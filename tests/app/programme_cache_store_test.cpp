// The programme cache under concurrency (issue 13: the ThreadSanitizer build
// runs this): readers on many threads while publishes swap the programme,
// the polling thread and refresh() from the publishing thread racing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <atomic>
#include <thread>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "app/programme_cache.hpp"
#include "app/publisher.hpp"
#include "app/snapshot_codec.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
const ManualClock kClock(1795000000);

// `count` half-hour talks keyed `prefix` + 100000 + i, talk i starting `offset(i)` seconds after a fixed start.
template <typename Offset>
std::vector<Event> numbered_talks(const std::string& prefix, int count, Offset offset) {
  std::vector<Event> events;
  for (int i = 0; i < count; ++i) {
    Event e;
    e.key = prefix + std::to_string(100000 + i);
    e.title = "Talk " + std::to_string(i);
    e.starts_at = 1800000000 + offset(i);
    e.ends_at = e.starts_at + 1800;
    e.time_zone = "Europe/Berlin";
    events.push_back(std::move(e));
  }
  return events;
}
}  // namespace

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

// A snapshot of 4,000 events or more has its programme entries made on
// another thread while its payload is read, each decoded into as soon as it
// is made (SlotsMadeAhead): the programme
// served is the whole one, in start order, each entry with its local times.
TYPED_TEST(ProgrammeCacheTest, ALargeSnapshotIsServedWhole) {
  Store& store = *this->store_;
  ProgrammeCache cache(store, nullptr);
  // The copy kept on local disk is written from the payload's pieces, made again one at a time.
  std::vector<std::pair<std::int64_t, std::string>> kept;
  cache.set_keep_local([&](std::int64_t number, UnixSeconds, const std::string&, std::size_t bytes,
                           const ProgrammeCache::ContentWriter& write) {
    std::string content;
    write([&](std::string_view piece) { content += piece; });
    EXPECT_EQ(content.size(), bytes);
    kept.emplace_back(number, std::move(content));
  });
  Publisher publisher(store, kClock, [&] { cache.refresh(); });
  constexpr int kEvents = 4500;
  // By key is not by start.
  std::vector<Event> events = numbered_talks("big-", kEvents, [](int i) { return static_cast<UnixSeconds>(kEvents - i) * 3600; });
  store.upsert_events(events, kClock.now());
  publisher.publish("test", "large");
  auto p = cache.current();
  ASSERT_TRUE(p);
  ASSERT_EQ(p->entries().size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(p->entries().front().event.key, "big-" + std::to_string(100000 + kEvents - 1));  // the earliest start
  EXPECT_EQ(p->entries().back().event.key, "big-100000");
  for (std::size_t i = 1; i < p->entries().size(); ++i)
    ASSERT_LT(p->entries()[i - 1].event.starts_at, p->entries()[i].event.starts_at) << i;
  for (const auto& entry : p->entries()) ASSERT_FALSE(entry.local_date.empty()) << entry.event.key;
  ASSERT_EQ(p->search_texts().size(), p->entries().size());  // folded on two threads at this size
  for (std::size_t i = 0; i < p->entries().size(); ++i)
    ASSERT_EQ(p->search_texts()[i], build_search_text(p->entries()[i].event)) << i;
  // A second publish with one title changed is served in its turn.
  events[7].title = "Talk seven, moved";
  store.upsert_events({events[7]}, kClock.now());
  publisher.publish("test", "large again");
  p = cache.current();
  ASSERT_EQ(p->entries().size(), static_cast<std::size_t>(kEvents));
  const auto moved = std::find_if(p->entries().begin(), p->entries().end(),
                                  [](const ProgrammeEntry& e) { return e.event.key == "big-100007"; });
  ASSERT_NE(moved, p->entries().end());
  EXPECT_EQ(moved->event.title, "Talk seven, moved");
  ASSERT_EQ(kept.size(), 2u);
  for (const auto& [number, content] : kept) EXPECT_EQ(content, store.snapshot(number)->payload) << number;
  ASSERT_GE(store.snapshot_pieces(2)->payload->size(), 2u);  // served from several pieces
}


// A damaged changelog frame (snapshot_changelogs) does not keep the next
// programme from being served: it is served without a changelog (and the
// error logged), and the store refuses to read the damaged frame as anything.
TYPED_TEST(ProgrammeCacheTest, ADamagedChangelogDoesNotKeepTheProgrammeFromBeingServed) {
  Store& store = *this->store_;
  ProgrammeCache cache(store, nullptr);
  Publisher publisher(store, kClock);
  Event e;
  e.key = "keynote";
  e.title = "Keynote";
  e.starts_at = 1800000000;
  e.ends_at = e.starts_at + 3600;
  e.time_zone = "Europe/Berlin";
  store.upsert_events({e}, kClock.now());
  publisher.publish("test", "first");
  cache.refresh();
  ASSERT_EQ(cache.current()->publication().changelog.size(), 1u);
  this->backend_.raw()->write_bytes("snapshot_changelogs", "changes_lz4", "snapshot_number", 1, "not a frame");
  EXPECT_THROW(store.snapshot_changes(1), StoreError);
  e.title = "Keynote, moved";
  store.upsert_events({e}, kClock.now());
  publisher.publish("test", "second");
  cache.refresh();
  auto p = cache.current();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->publication().snapshot, 2);
  ASSERT_EQ(p->entries().size(), 1u);
  EXPECT_EQ(p->entries()[0].event.title, "Keynote, moved");
  EXPECT_TRUE(p->publication().changelog.empty());
}

// A large snapshot whose pieces cannot be decoded one by one is still served
// whole, with its local copy: rows cut inside a line (Marquee never writes
// them so), a row count of lines over the snapshot's event count, and one
// value of two frames cut at its middle (schema 24), read as one piece.
TYPED_TEST(ProgrammeCacheTest, ASnapshotWhosePiecesEndInsideLinesIsServedWhole) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  constexpr int kEvents = 4500;
  const std::vector<Event> events = numbered_talks("cut-", kEvents, [](int i) { return static_cast<UnixSeconds>(i) * 600; });
  store.upsert_events(events, kClock.now());
  publisher.publish("test", "large");
  const std::string payload = store.snapshot(1)->payload;
  const std::size_t middle = payload.find('\n', payload.size() / 2) - 5;  // inside a line
  auto db = this->backend_.raw();
  const auto served_whole = [&](const std::string& why) {
    ProgrammeCache cache(store, nullptr);
    std::string kept;
    cache.set_keep_local([&](std::int64_t, UnixSeconds, const std::string&, std::size_t bytes,
                             const ProgrammeCache::ContentWriter& write) {
      write([&](std::string_view piece) { kept += piece; });
      EXPECT_EQ(kept.size(), bytes) << why;
    });
    ASSERT_TRUE(cache.refresh()) << why;
    const auto p = cache.current();
    ASSERT_EQ(p->entries().size(), static_cast<std::size_t>(kEvents)) << why;
    for (int i = 0; i < kEvents; ++i) ASSERT_EQ(p->entries()[i].event, events[i]) << why << " " << i;
    EXPECT_EQ(kept, payload) << why;
  };
  // Rows cut inside a line: its pieces are found so, and the whole payload is decoded.
  db->query("DELETE FROM snapshot_frames WHERE snapshot_number = 1");
  const std::string first = lz4_frame_compress(std::string_view(payload).substr(0, middle)),
                    second = lz4_frame_compress(std::string_view(payload).substr(middle));
  db->insert_byte_rows("snapshot_frames", "snapshot_number", 1, "seq", "frame", {first, second});
  {
    SlotsMadeAhead<ProgrammeEntry> slots(kEvents + 1);
    EXPECT_FALSE(decode_snapshot_entries(*store.snapshot_pieces(1)->payload, slots).has_value());
  }
  served_whole("rows cut inside a line");
  // Rows of whole lines, but more lines than the event count gives slots for.
  db->query("DELETE FROM snapshot_frames WHERE snapshot_number = 1");
  const std::size_t line_end = payload.find('\n', payload.size() / 2) + 1;
  db->insert_byte_rows("snapshot_frames", "snapshot_number", 1, "seq", "frame",
                       {lz4_frame_compress(std::string_view(payload).substr(0, line_end)),
                        lz4_frame_compress(std::string_view(payload).substr(line_end))});
  db->query("UPDATE snapshots SET event_count = 4200 WHERE number = 1");
  {
    SlotsMadeAhead<ProgrammeEntry> slots(4201);
    EXPECT_FALSE(decode_snapshot_entries(*store.snapshot_pieces(1)->payload, slots).has_value());
  }
  served_whole("more lines than slots");
  db->query("UPDATE snapshots SET event_count = ? WHERE number = 1", Row{std::to_string(kEvents)});
  served_whole("rows of whole lines");
  // One value of two frames cut at a line's middle (migration 0024): one piece.
  db->query("DELETE FROM snapshot_frames WHERE snapshot_number = 1");
  db->query("UPDATE snapshots SET payload_bytes = NULL WHERE number = 1");
  db->write_bytes("snapshots", "payload_lz4", "number", 1, first + second);
  ASSERT_EQ(store.snapshot_pieces(1)->payload->size(), 1u);
  served_whole("one value of two frames");
}
