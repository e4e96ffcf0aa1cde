#include "core/recurrence_rule.hpp"

#include <cstdlib>

namespace marquee {
namespace {

// The most days a month can have (February in a leap year: 29).
int max_days(int month) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 ? kDays[month - 1] : 31;
}

}  // namespace

std::optional<std::string> unusable_recurrence(const RecurrenceShape& rule) {
  if (rule.freq == "SECONDLY" || rule.freq == "MINUTELY")
    return "FREQ=" + rule.freq + " is not accepted: events repeat at most hourly";
  if (rule.by_month_day.empty()) return std::nullopt;
  std::vector<int> months = rule.by_month;
  if (months.empty())
    for (int m = 1; m <= 12; ++m) months.push_back(m);
  for (int m : months)
    for (int d : rule.by_month_day)
      if (d != 0 && std::abs(d) <= max_days(m)) return std::nullopt;
  return "the rule can never occur: no BYMONTHDAY falls in a BYMONTH month";
}

}  // namespace marquee
