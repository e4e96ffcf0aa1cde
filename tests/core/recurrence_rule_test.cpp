// Which RRULEs an import accepts (issue 13, item 3).
#include <gtest/gtest.h>

#include "core/recurrence_rule.hpp"

namespace marquee {
namespace {

RecurrenceShape shape(std::string freq, std::vector<int> months = {}, std::vector<int> month_days = {}) {
  RecurrenceShape r;
  r.freq = std::move(freq);
  r.by_month = std::move(months);
  r.by_month_day = std::move(month_days);
  return r;
}

TEST(RecurrenceRule, SecondlyAndMinutelyAreRefused) {
  EXPECT_TRUE(unusable_recurrence(shape("SECONDLY")));
  EXPECT_TRUE(unusable_recurrence(shape("MINUTELY")));
  EXPECT_FALSE(unusable_recurrence(shape("HOURLY")));
  EXPECT_FALSE(unusable_recurrence(shape("WEEKLY")));
}

TEST(RecurrenceRule, MonthDaysThatNeverFallInTheMonthsAreRefused) {
  EXPECT_TRUE(unusable_recurrence(shape("DAILY", {2}, {30})));
  EXPECT_TRUE(unusable_recurrence(shape("YEARLY", {2, 4}, {31, 30 + 1})));
  EXPECT_TRUE(unusable_recurrence(shape("DAILY", {2}, {-30})));
  EXPECT_FALSE(unusable_recurrence(shape("YEARLY", {2}, {29})));  // leap years
  EXPECT_FALSE(unusable_recurrence(shape("MONTHLY", {}, {31})));
  EXPECT_FALSE(unusable_recurrence(shape("MONTHLY", {2, 3}, {31})));
  EXPECT_FALSE(unusable_recurrence(shape("MONTHLY", {2}, {-1})));
}

}  // namespace
}  // namespace marquee
