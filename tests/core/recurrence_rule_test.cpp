// Which RRULEs an import accepts (issue 13, item 3).
#include <gtest/gtest.h>

#include "core/recurrence_rule.hpp"

namespace marquee {
namespace {

TEST(RecurrenceRule, SecondlyAndMinutelyAreRefused) {
  EXPECT_TRUE(unusable_recurrence({"SECONDLY", {}, {}}));
  EXPECT_TRUE(unusable_recurrence({"MINUTELY", {}, {}}));
  EXPECT_FALSE(unusable_recurrence({"HOURLY", {}, {}}));
  EXPECT_FALSE(unusable_recurrence({"WEEKLY", {}, {}}));
}

TEST(RecurrenceRule, MonthDaysThatNeverFallInTheMonthsAreRefused) {
  EXPECT_TRUE(unusable_recurrence({"DAILY", {2}, {30}}));
  EXPECT_TRUE(unusable_recurrence({"YEARLY", {2, 4}, {31, 30 + 1}}));
  EXPECT_TRUE(unusable_recurrence({"DAILY", {2}, {-30}}));
  EXPECT_FALSE(unusable_recurrence({"YEARLY", {2}, {29}}));  // leap years
  EXPECT_FALSE(unusable_recurrence({"MONTHLY", {}, {31}}));
  EXPECT_FALSE(unusable_recurrence({"MONTHLY", {2, 3}, {31}}));
  EXPECT_FALSE(unusable_recurrence({"MONTHLY", {2}, {-1}}));
}

}  // namespace
}  // namespace marquee
