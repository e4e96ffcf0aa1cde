// The analytics buffer against a store that refuses: rows are kept for the
// next flush, then dropped after three refusals in a row; previous_day on
// DST days.
#include <gtest/gtest.h>

#include <stdexcept>

#include "app/analytics_recorder.hpp"

using namespace marquee;

namespace {

struct RefusingStore : AnalyticsStore {
  int refusals = 0;  // write_analytics throws this many more times
  std::vector<std::int64_t> written_views;
  std::string analytics_salt(const std::string&, const std::string& candidate, UnixSeconds) override { return candidate; }
  void write_analytics(const AnalyticsBatch& batch) override {
    if (refusals > 0) {
      --refusals;
      throw std::runtime_error("refused");
    }
    std::int64_t views = 0;
    for (const auto& [k, n] : batch.counts())
      if (k.kind == SignalKind::view) views += n;
    written_views.push_back(views);
  }
  AnalyticsRollup roll_up_analytics(const std::string&) override { return {}; }
  std::vector<AnalyticsCount> analytics_counts(const std::string&, const std::string&, bool) override { return {}; }
  std::vector<AnalyticsUniques> analytics_uniques(const std::string&, const std::string&) override { return {}; }
  std::vector<AnalyticsSearch> analytics_searches(const std::string&, const std::string&, int, bool) override { return {}; }
  std::int64_t analytics_zero_result_searches(const std::string&, const std::string&) override { return 0; }
  std::vector<PlacementAttribution> placement_attribution(const std::string&, const std::string&) override { return {}; }
};

Signal view() { return Signal{SignalKind::view, "a", "page"}; }

}  // namespace

TEST(AnalyticsRecorder, ARefusedFlushIsTriedAgainWithWhatCameSince) {
  RefusingStore store;
  ManualClock clock(1796160600);
  AnalyticsRecorder rec(store, clock, [] { return std::string("Europe/Berlin"); }, AnalyticsOptions{});
  store.refusals = 1;
  rec.record(view());
  rec.record(view());
  EXPECT_FALSE(rec.flush());
  rec.record(view());
  EXPECT_TRUE(rec.flush());
  ASSERT_EQ(store.written_views.size(), 1u);
  EXPECT_EQ(store.written_views[0], 3);
  EXPECT_EQ(rec.stats().failed_flushes, 1u);
}

TEST(AnalyticsRecorder, ABatchTheStoreNeverTakesIsDroppedAfterThreeRefusals) {
  RefusingStore store;
  ManualClock clock(1796160600);
  AnalyticsRecorder rec(store, clock, [] { return std::string("Europe/Berlin"); }, AnalyticsOptions{});
  store.refusals = AnalyticsRecorder::kFailuresBeforeDrop;
  rec.record(view());
  for (int i = 0; i < AnalyticsRecorder::kFailuresBeforeDrop; ++i) EXPECT_FALSE(rec.flush());
  rec.record(view());  // analytics goes on
  EXPECT_TRUE(rec.flush());
  ASSERT_EQ(store.written_views.size(), 1u);
  EXPECT_EQ(store.written_views[0], 1);
}

TEST(AnalyticsRecorder, OneRequestOneDayForItsHourAndItsVisitorId) {
  RefusingStore store;
  ManualClock clock(1796160600);
  AnalyticsRecorder rec(store, clock, [] { return std::string("Europe/Berlin"); }, AnalyticsOptions{});
  ASSERT_TRUE(rec.prepare_salts());
  const std::string id = rec.visitor("10.0.0.1", "Firefox");
  EXPECT_EQ(id.size(), 32u);
  rec.record(view(), "10.0.0.1", "Firefox");
  ASSERT_TRUE(rec.flush());
  EXPECT_EQ(store.written_views.size(), 1u);
}

TEST(PreviousDay, IsCalendarWise) {
  EXPECT_EQ(previous_day("2026-03-01"), "2026-02-28");
  EXPECT_EQ(previous_day("2024-03-01"), "2024-02-29");
  EXPECT_EQ(previous_day("2026-10-26"), "2026-10-25");  // the day after a 25-hour day in Europe
  EXPECT_EQ(previous_day("2027-01-01"), "2026-12-31");
}
