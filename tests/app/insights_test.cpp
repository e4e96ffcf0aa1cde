#include <gtest/gtest.h>

#include "app/insights.hpp"

using namespace marquee;

TEST(InsightRange, DefaultsToTheLastSevenDays) {
  std::string error;
  auto r = parse_insight_range("", "", "2026-03-02", &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->from, "2026-02-24");
  EXPECT_EQ(r->to, "2026-03-02");
  r = parse_insight_range("", "2026-01-03", "2026-03-02", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->from, "2025-12-28");
}

TEST(InsightRange, NamesWhatIsWrong) {
  std::string error;
  EXPECT_FALSE(parse_insight_range("2026-13-01", "", "2026-03-02", &error));
  EXPECT_NE(error.find("from"), std::string::npos);
  EXPECT_FALSE(parse_insight_range("", "yesterday", "2026-03-02", &error));
  EXPECT_NE(error.find("to must be"), std::string::npos);
  EXPECT_FALSE(parse_insight_range("2026-03-03", "2026-03-02", "2026-03-02", &error));
  EXPECT_NE(error.find("after"), std::string::npos);
  EXPECT_FALSE(parse_insight_range("2024-01-01", "2026-03-02", "2026-03-02", &error));
  EXPECT_NE(error.find("366"), std::string::npos);
  EXPECT_TRUE(parse_insight_range("2025-03-02", "2026-03-02", "2026-03-02", &error));  // 366 days
  EXPECT_FALSE(parse_insight_range("2025-03-01", "2026-03-02", "2026-03-02", &error));  // 367
  EXPECT_EQ(days_in(InsightRange{"2026-03-01", "2026-03-31"}), 31u);
  EXPECT_EQ(days_in(InsightRange{"2026-03-02", "2026-03-02"}), 1u);
}

TEST(EventInsight, ConversionAndFillRate) {
  EventInsight e;
  EXPECT_FALSE(e.conversion());
  e.views = 200;
  e.registrations = 10;
  EXPECT_DOUBLE_EQ(*e.conversion(), 0.05);
  EXPECT_FALSE(e.fill_rate());
  e.capacity = 40;
  e.confirmed = 30;
  EXPECT_DOUBLE_EQ(*e.fill_rate(), 0.75);
}

TEST(Insights, GroupsSumEventsByCategoryAndVenue) {
  EventInsight a, b, c;
  a.category = "Music";
  a.venue = "Hall";
  a.views = 5;
  b.category = "Music";
  b.views = 3;
  c.venue = "Hall";
  c.views = 10;
  const auto cats = Insights::groups({a, b, c}, false);
  ASSERT_EQ(cats.size(), 2u);
  EXPECT_EQ(cats[0].name, "(none)");
  EXPECT_EQ(cats[1].name, "Music");
  EXPECT_EQ(cats[1].events, 2);
  EXPECT_EQ(cats[1].views, 8);
  const auto venues = Insights::groups({a, b, c}, true);
  EXPECT_EQ(venues[0].name, "Hall");
  EXPECT_EQ(venues[0].views, 15);
}
