// Analytics on SQLite and PostgreSQL: flushes add up, two instances sharing
// one store count a visitor once, days and salts roll over at local
// midnight, old visitor ids are rolled up and deleted, insights read back.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "app/analytics_recorder.hpp"
#include "app/insights.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

// 2026-12-01 22:30 in Europe/Berlin (21:30 UTC): 90 minutes before local midnight.
constexpr UnixSeconds kEvening = 1796160600;
const char* const kZone = "Europe/Berlin";

Signal signal(SignalKind kind, const std::string& key, const std::string& visitor, const std::string& detail = "") {
  Signal s;
  s.kind = kind;
  s.event_key = key;
  s.detail = detail;
  s.visitor = visitor;
  return s;
}

InsightRange range(const std::string& from, const std::string& to) { return InsightRange{from, to}; }

}  // namespace

template <typename B>
using AnalyticsTest = StoreTest<B>;
TYPED_TEST_SUITE(AnalyticsTest, Backends, BackendNames);

TYPED_TEST(AnalyticsTest, FlushesAddUpToWhatWasRecorded) {
  ManualClock clock(kEvening);
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  ASSERT_TRUE(rec.prepare_salts());
  for (int i = 0; i < 7; ++i) rec.record(signal(SignalKind::view, "a", rec.visitor("10.0.0.1", "Firefox")));
  ASSERT_TRUE(rec.flush());
  for (int i = 0; i < 5; ++i) rec.record(signal(SignalKind::view, "a", rec.visitor("10.0.0.2", "Firefox")));
  rec.record(signal(SignalKind::calendar_save, "a", "", "ics"));
  rec.record(signal(SignalKind::registration, "a", rec.visitor("10.0.0.2", "Firefox"), "confirmed"));
  ASSERT_TRUE(rec.flush());
  EXPECT_TRUE(rec.flush());  // nothing buffered: nothing written

  Insights insights(*this->store_, nullptr, nullptr, [] { return std::string(kZone); });
  const auto events = insights.events(range("2026-12-01", "2026-12-01"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].views, 12);
  EXPECT_EQ(events[0].unique_visitors, 2);
  EXPECT_EQ(events[0].calendar_saves, 1);
  EXPECT_EQ(events[0].registrations, 1);
  EXPECT_EQ(events[0].converted, 1);  // 10.0.0.2 viewed, then registered
  EXPECT_EQ(rec.stats().recorded, 14u);
  EXPECT_EQ(rec.stats().flushes, 2u);
}

TYPED_TEST(AnalyticsTest, TwoInstancesShareTheSaltAndCountAVisitorOnce) {
  ManualClock clock(kEvening);
  auto other_store = this->reopen();
  AnalyticsRecorder one(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  AnalyticsRecorder two(*other_store, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  ASSERT_TRUE(one.prepare_salts());
  ASSERT_TRUE(two.prepare_salts());
  EXPECT_EQ(one.visitor("10.0.0.1", "Firefox"), two.visitor("10.0.0.1", "Firefox"));
  one.record(signal(SignalKind::view, "a", one.visitor("10.0.0.1", "Firefox")));
  two.record(signal(SignalKind::view, "a", two.visitor("10.0.0.1", "Firefox")));
  two.record(signal(SignalKind::view, "a", two.visitor("10.0.0.9", "Firefox")));
  ASSERT_TRUE(one.flush());
  ASSERT_TRUE(two.flush());
  Insights insights(*this->store_, nullptr, nullptr, [] { return std::string(kZone); });
  const auto t = insights.totals(range("2026-12-01", "2026-12-01"));
  EXPECT_EQ(t.views, 3);
  EXPECT_EQ(t.unique_visitors, 2);
}

TYPED_TEST(AnalyticsTest, ANewLocalDayHasANewSaltAndCountsTheVisitorAgain) {
  ManualClock clock(kEvening);
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  ASSERT_TRUE(rec.prepare_salts());
  const std::string before = rec.visitor("10.0.0.1", "Firefox");
  rec.record(signal(SignalKind::view, "a", before));
  // 23:55 local: tomorrow's salt is fetched ahead, so midnight needs no store call.
  clock.set(kEvening + 85 * 60);
  ASSERT_TRUE(rec.prepare_salts());
  EXPECT_EQ(rec.visitor("10.0.0.1", "Firefox"), before);
  clock.set(kEvening + 95 * 60);  // 00:05 on 2 December, local
  const std::string after = rec.visitor("10.0.0.1", "Firefox");
  EXPECT_FALSE(after.empty());
  EXPECT_NE(after, before);
  EXPECT_EQ(rec.hour_of(clock.now()).day, "2026-12-02");
  rec.record(signal(SignalKind::view, "a", after));
  ASSERT_TRUE(rec.flush());

  Insights insights(*this->store_, nullptr, nullptr, [] { return std::string(kZone); });
  const auto days = insights.timeseries(range("2026-12-01", "2026-12-02"), false);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].views, 1);
  EXPECT_EQ(days[1].views, 1);
  EXPECT_EQ(days[0].unique_visitors, 1);
  EXPECT_EQ(days[1].unique_visitors, 1);
  EXPECT_EQ(insights.totals(range("2026-12-01", "2026-12-02")).unique_visitors, 2);  // the sum of the days
  const auto hours = insights.timeseries(range("2026-12-01", "2026-12-01"), true);
  ASSERT_EQ(hours.size(), 24u);
  EXPECT_EQ(hours[22].label, "2026-12-01 22:00");
  EXPECT_EQ(hours[22].views, 1);
}

TYPED_TEST(AnalyticsTest, OldVisitorIdsAreRolledUpAndDeletedWithTheirSalt) {
  ManualClock clock(kEvening);
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  ASSERT_TRUE(rec.prepare_salts());
  rec.record(signal(SignalKind::view, "a", rec.visitor("10.0.0.1", "Firefox")));
  rec.record(signal(SignalKind::view, "a", rec.visitor("10.0.0.2", "Firefox")));
  rec.record(signal(SignalKind::registration, "a", rec.visitor("10.0.0.2", "Firefox"), "waitlisted"));
  ASSERT_TRUE(rec.flush());
  EXPECT_EQ(rec.roll_up().visitor_rows, 0);  // today and yesterday keep their ids

  clock.set(kEvening + 2 * 86400);  // 3 December: 1 December is older than yesterday
  const AnalyticsRollup r = rec.roll_up();
  EXPECT_EQ(r.days, 1);
  EXPECT_EQ(r.visitor_rows, 4);  // two visitors, each for the site and for the event
  EXPECT_EQ(r.salts, 1);
  EXPECT_EQ(rec.roll_up().visitor_rows, 0);

  Insights insights(*this->store_, nullptr, nullptr, [] { return std::string(kZone); });
  const auto events = insights.events(range("2026-12-01", "2026-12-01"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].unique_visitors, 2);
  EXPECT_EQ(events[0].converted, 1);
  EXPECT_EQ(insights.totals(range("2026-12-01", "2026-12-01")).unique_visitors, 2);
  for (const auto& t : this->store_->dump_tables()) EXPECT_EQ(t.name.rfind("analytics", 0), std::string::npos) << t.name;
}

TYPED_TEST(AnalyticsTest, SearchesAndSlotsReadBack) {
  ManualClock clock(kEvening);
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  for (int results : {0, 0, 4}) {
    Signal s;
    s.kind = SignalKind::search;
    s.search_term = results ? "jazz" : "klezmer";
    s.search_filters = results ? "category=Music" : "";
    s.results = results;
    rec.record(s);
  }
  Signal impression = signal(SignalKind::impression, "a", "");
  impression.slot = "featured";
  rec.record(impression);
  ASSERT_TRUE(rec.flush());
  Insights insights(*this->store_, nullptr, nullptr, [] { return std::string(kZone); });
  const auto top = insights.searches(range("2026-12-01", "2026-12-01"), 10, false);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].term, "klezmer");
  EXPECT_EQ(top[0].searches, 2);
  EXPECT_EQ(top[0].zero_results, 2);
  EXPECT_EQ(top[1].filters, "category=Music");
  EXPECT_EQ(top[1].results, 4);
  const auto zero = insights.searches(range("2026-12-01", "2026-12-01"), 10, true);
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0].term, "klezmer");
  const auto counts = this->store_->analytics_counts("2026-12-01", "2026-12-01", false);
  bool slot_seen = false;
  for (const auto& c : counts) slot_seen |= c.kind == SignalKind::impression && c.slot == "featured" && c.count == 1;
  EXPECT_TRUE(slot_seen);
  EXPECT_EQ(insights.totals(range("2026-12-01", "2026-12-01")).zero_result_searches, 2);
}

TYPED_TEST(AnalyticsTest, ConcurrentRecordsAndFlushesLoseNothing) {
  SystemClock clock;  // a real clock: the flusher runs on its own thread while requests record
  AnalyticsOptions options;
  options.flush_interval = std::chrono::milliseconds(5);
  options.flush_rows = 50;  // shards wake the flusher early too
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, options);
  ASSERT_TRUE(rec.prepare_salts());
  rec.start();
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&rec, t] {
      for (int i = 0; i < kEach; ++i)
        rec.record(signal(SignalKind::view, "e" + std::to_string(i % 7),
                          rec.visitor("10.0." + std::to_string(t) + "." + std::to_string(i % 50), "Firefox")));
    });
  for (auto& th : threads) th.join();
  rec.stop();  // the last flush
  std::int64_t views = 0;
  for (const auto& c : this->store_->analytics_counts("2000-01-01", "2100-01-01", false))
    if (c.kind == SignalKind::view) views += c.count;
  EXPECT_EQ(views, kThreads * kEach);
  std::int64_t site_visitors = 0;
  for (const auto& u : this->store_->analytics_uniques("2000-01-01", "2100-01-01"))
    if (u.subject.empty()) site_visitors += u.visitors;
  // 4 × 50 addresses; a run that crosses local midnight counts some twice.
  EXPECT_GE(site_visitors, kThreads * 50);
  EXPECT_LE(site_visitors, 2 * kThreads * 50);
  EXPECT_GE(rec.stats().flushes, 1u);
}

TYPED_TEST(AnalyticsTest, ClientTextsAndAZoneChangeNeverFailAFlush) {
  ManualClock clock(kEvening);
  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  Signal s;
  s.kind = SignalKind::search;
  s.search_term = std::string("a\0b", 3);  // PostgreSQL takes no NUL, nor invalid UTF-8
  s.search_filters = "category=\xff";
  rec.record(s);
  s.search_term = "ab";
  s.search_filters = "";
  rec.record(s);  // the same key once cleaned
  ASSERT_TRUE(rec.flush());
  const auto terms = this->store_->analytics_searches("2026-12-01", "2026-12-01", 10, false);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].term, "ab");
  EXPECT_EQ(terms[0].searches, 2);
  // After a change of time zone one hour instant can fall on two local days: two rows, one statement.
  AnalyticsBatch batch;
  batch.add(signal(SignalKind::view, "a", ""), AnalyticsHour{kEvening - 1800, "2026-12-01"});
  batch.add(signal(SignalKind::view, "a", ""), AnalyticsHour{kEvening - 1800, "2026-12-02"});
  this->store_->write_analytics(batch);
  std::int64_t views = 0;
  for (const auto& c : this->store_->analytics_counts("2026-12-01", "2026-12-02", false))
    if (c.kind == SignalKind::view) views += c.count;
  EXPECT_EQ(views, 2);
}
