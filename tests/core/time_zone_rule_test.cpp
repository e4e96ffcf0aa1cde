// Which VTIMEZONE observance rules an iCalendar import accepts (RFC 5545 §3.6.5).
#include <gtest/gtest.h>

#include "core/time_zone_rule.hpp"

namespace marquee {
namespace {

// FREQ=YEARLY;BYMONTH=<months>;BYDAY=<positions> (0 = every such weekday).
RecurrenceShape yearly(std::vector<int> months, std::vector<int> day_positions = {}, std::vector<int> month_days = {}) {
  RecurrenceShape r;
  r.freq = "YEARLY";
  r.by_month = std::move(months);
  r.by_day_position = std::move(day_positions);
  r.by_month_day = std::move(month_days);
  return r;
}

const std::vector<int> kEighthToFourteenth{8, 9, 10, 11, 12, 13, 14};

TEST(TimeZoneRule, RealZoneRulesAreAccepted) {
  EXPECT_FALSE(unusable_time_zone_rule(yearly({3}, {-1})));  // last Sunday of March (tzurl.org, Outlook, Google)
  RecurrenceShape old_us = yearly({3}, {0}, kEighthToFourteenth);  // "Sunday on or after the 8th"
  old_us.until_year = 2006;
  EXPECT_FALSE(unusable_time_zone_rule(old_us));
  EXPECT_FALSE(unusable_time_zone_rule(yearly({10}, {1})));
}

TEST(TimeZoneRule, OnlyYearlyRulesWithFewValuesAreAccepted) {
  for (const char* freq : {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", ""}) {
    RecurrenceShape r = yearly({3}, {-1});
    r.freq = freq;
    auto why = unusable_time_zone_rule(r);
    ASSERT_TRUE(why) << freq;
    EXPECT_NE(why->find("yearly"), std::string::npos) << *why;
  }
  RecurrenceShape hours = yearly({3});
  hours.other_parts = {"BYHOUR"};
  auto why = unusable_time_zone_rule(hours);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("BYHOUR"), std::string::npos) << *why;
  EXPECT_TRUE(unusable_time_zone_rule(yearly({3, 10}, {-1})));
  EXPECT_TRUE(unusable_time_zone_rule(yearly({3}, {-1, 1})));
  EXPECT_TRUE(unusable_time_zone_rule(yearly({3}, {}, {1, 2, 3, 4, 5, 6, 7, 8})));
  RecurrenceShape no_interval = yearly({3}, {-1});
  no_interval.interval = 0;
  EXPECT_TRUE(unusable_time_zone_rule(no_interval));
  EXPECT_TRUE(unusable_time_zone_rule(yearly({2}, {}, {30})));  // can never occur, as for events
}

TEST(TimeZoneRule, TransitionsAreBoundedByYearsAndInstancesPerYear) {
  const RecurrenceShape last_sunday = yearly({3}, {-1});
  EXPECT_EQ(time_zone_rule_transitions(last_sunday, 1601, 2587), 987 + 1);  // + the DTSTART
  EXPECT_EQ(time_zone_rule_transitions(last_sunday, 2600, 2587), 0);
  RecurrenceShape until = last_sunday;
  until.until_year = 2006;
  EXPECT_EQ(time_zone_rule_transitions(until, 1967, 2587), 40 + 1);
  RecurrenceShape counted = last_sunday;
  counted.count = 3;
  EXPECT_EQ(time_zone_rule_transitions(counted, 1970, 2587), 3 + 1);
  RecurrenceShape every_other = last_sunday;
  every_other.interval = 2;
  EXPECT_EQ(time_zone_rule_transitions(every_other, 1970, 1979), 5 + 1);
  // A plain weekday is every week: of the month with BYMONTH, else of the year.
  EXPECT_EQ(time_zone_rule_transitions(yearly({3}, {0}), 2000, 2009), 10 * 5 + 1);
  EXPECT_EQ(time_zone_rule_transitions(yearly({}, {0}), 1, 2587), 2587 * 53 + 1);
  EXPECT_EQ(time_zone_rule_transitions(yearly({3}, {0}, kEighthToFourteenth), 2000, 2000), 7 + 1);
  EXPECT_EQ(time_zone_rule_transitions(yearly({}, {}, {1, 15}), 2000, 2000), 2 * 12 + 1);  // every month
}

}  // namespace
}  // namespace marquee
