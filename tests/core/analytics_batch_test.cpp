#include <gtest/gtest.h>

#include "core/analytics_batch.hpp"

using namespace marquee;

namespace {
const AnalyticsHour kHour{1796162400, "2026-12-01"};

Signal view(const std::string& key, const std::string& visitor) { return Signal{SignalKind::view, key, "page", "", "", "", 0, visitor}; }
}  // namespace

TEST(AnalyticsBatch, CountsPerHourEventKindAndDetail) {
  AnalyticsBatch b;
  b.add(view("a", "v1"), kHour);
  b.add(view("a", "v1"), kHour);
  b.add(view("b", ""), kHour);
  b.add(Signal{SignalKind::calendar_save, "a", "google"}, kHour);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::view, "a", "", "page"})), 2);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::view, "b", "", "page"})), 1);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::calendar_save, "a", "", "google"})), 1);
  // One visitor row for the site and one for the event; none for the unidentified view.
  EXPECT_EQ(b.visitors().size(), 2u);
  EXPECT_EQ((b.visitors().at(VisitorKey{kHour.day, "a", "v1"})), kVisitorViewed);
}

TEST(AnalyticsBatch, VisitorFlagsAddUp) {
  AnalyticsBatch b;
  b.add(view("a", "v1"), kHour);
  b.add(Signal{SignalKind::registration, "a", "confirmed", "", "", "", 0, "v1"}, kHour);
  EXPECT_EQ((b.visitors().at(VisitorKey{kHour.day, "a", "v1"})), kVisitorConverted);
  EXPECT_EQ((b.visitors().at(VisitorKey{kHour.day, "", "v1"})), kVisitorConverted);
}

TEST(AnalyticsBatch, SearchesCountZeroResults) {
  AnalyticsBatch b;
  Signal s{SignalKind::search};
  s.search_term = "jazz";
  s.results = 0;
  b.add(s, kHour);
  s.results = 3;
  b.add(s, kHour);
  const SearchCount& c = b.searches().at(SearchKey{kHour.hour, kHour.day, "jazz", ""});
  EXPECT_EQ(c.searches, 2);
  EXPECT_EQ(c.zero_results, 1);
  EXPECT_EQ(c.results, 3);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::search, "", "", ""})), 2);
}

TEST(AnalyticsBatch, FeedsCountSubscribersPerFeed) {
  AnalyticsBatch b;
  b.add(Signal{SignalKind::feed_fetch, "", "calendar.ics", "", "", "", 0, "v1"}, kHour);
  b.add(Signal{SignalKind::feed_fetch, "", "calendar.ics", "", "", "", 0, "v1"}, kHour);
  EXPECT_EQ((b.visitors().count(VisitorKey{kHour.day, "feed:calendar.ics", "v1"})), 1u);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::feed_fetch, "", "", "calendar.ics"})), 2);
}

TEST(AnalyticsBatch, AFullBufferDropsDetailAndCountsIt) {
  AnalyticsBatch b(BatchLimits{4, 1});
  for (int i = 0; i < 5; ++i) b.add(view("a", "v" + std::to_string(i)), kHour);  // 2 rows per visitor
  EXPECT_EQ(b.visitors().size(), 4u);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::view, "a", "", "page"})), 5);  // every view counted
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::dropped, "", "", "visitor_id"})), 6);
  Signal s{SignalKind::search};
  s.search_term = "one";
  b.add(s, kHour);
  s.search_term = "two";
  b.add(s, kHour);
  EXPECT_EQ(b.searches().count(SearchKey{kHour.hour, kHour.day, "two", ""}), 0u);
  EXPECT_EQ(b.searches().at(SearchKey{kHour.hour, kHour.day, "", ""}).searches, 1);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::dropped, "", "", "search_term"})), 1);
  EXPECT_EQ((b.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::search, "", "", ""})), 2);
}

TEST(AnalyticsBatch, MergeAddsAnUnwrittenBatchBack) {
  AnalyticsBatch failed, fresh;
  failed.add(view("a", "v1"), kHour);
  fresh.add(view("a", "v2"), kHour);
  failed.merge(fresh, kHour);
  EXPECT_EQ((failed.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::view, "a", "", "page"})), 2);
  EXPECT_EQ(failed.visitors().size(), 4u);
  EXPECT_EQ(failed.rows(), 5u);
}

TEST(VisitorsSeen, ARowIsFreshOncePerFlagAndDay) {
  VisitorsSeen seen(8);
  EXPECT_TRUE(seen.fresh("2026-12-01", "a", "v1", kVisitorViewed));
  EXPECT_FALSE(seen.fresh("2026-12-01", "a", "v1", kVisitorViewed));
  EXPECT_TRUE(seen.fresh("2026-12-01", "a", "v1", kVisitorRegistered));  // something new
  EXPECT_FALSE(seen.fresh("2026-12-01", "a", "v1", kVisitorConverted));
  EXPECT_TRUE(seen.fresh("2026-12-01", "", "v1", kVisitorViewed));
  EXPECT_TRUE(seen.fresh("2026-12-02", "a", "v1", kVisitorViewed));  // a new day forgets
}

TEST(AnalyticsBatch, RowsAlreadySeenAreNotAddedAgain) {
  VisitorsSeen seen;
  AnalyticsBatch first;
  first.add(view("a", "v1"), kHour, &seen);
  EXPECT_EQ(first.visitors().size(), 2u);
  AnalyticsBatch second;  // the next flush interval
  second.add(view("a", "v1"), kHour, &seen);
  EXPECT_TRUE(second.visitors().empty());
  EXPECT_EQ((second.counts().at(CountKey{kHour.hour, kHour.day, SignalKind::view, "a", "", "page"})), 1);  // still a view
}

TEST(CleanSignal, ClientTextsAreMadeSafeToStore) {
  Signal s{SignalKind::search};
  s.search_term = std::string("jazz\0night\x7f\x01", 13);
  s.search_filters = "category=\xff\xfe";
  s.detail = std::string(300, 'a');
  const Signal c = clean_signal(s);
  EXPECT_EQ(c.search_term, "jazznight");
  EXPECT_EQ(c.search_filters, "");  // invalid UTF-8
  EXPECT_EQ(c.detail.size(), 200u);
  std::string long_cyrillic;
  for (int i = 0; i < 150; ++i) long_cyrillic += "ж";
  s.slot = long_cyrillic;
  EXPECT_EQ(clean_signal(s).slot.size(), 200u);  // 100 whole characters of two bytes
}
