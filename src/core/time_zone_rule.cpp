#include "core/time_zone_rule.hpp"

#include <algorithm>

namespace marquee {

std::optional<std::string> unusable_time_zone_rule(const RecurrenceShape& rule) {
  if (rule.freq != "YEARLY")
    return "a time zone's rule must repeat yearly (RFC 5545 §3.6.5)";
  if (!rule.other_parts.empty())
    return rule.other_parts.front() + " is not accepted in a time zone's rule (only BYMONTH, BYDAY, BYMONTHDAY)";
  if (rule.by_month.size() > 1) return "more than one BYMONTH value in a time zone's rule";
  if (rule.by_day_position.size() > 1) return "more than one BYDAY value in a time zone's rule";
  if (rule.by_month_day.size() > 7) return "more than seven BYMONTHDAY values in a time zone's rule";
  if (rule.interval < 1) return "INTERVAL must be at least 1";
  return unusable_recurrence(rule);
}

std::int64_t time_zone_rule_transitions(const RecurrenceShape& rule, int first_year, int last_year) {
  if (rule.until_year > 0) last_year = std::min(last_year, rule.until_year);
  if (last_year < first_year) return 0;
  const std::int64_t years = (static_cast<std::int64_t>(last_year) - first_year) / std::max(rule.interval, 1) + 1;
  // Instances in one year: every BYMONTHDAY; else a plain weekday (BYDAY=SU)
  // every week of the month or of the year; else one.
  std::int64_t per_year = 1;
  if (!rule.by_month_day.empty())  // every listed day of each BYMONTH month, or of every month
    per_year = static_cast<std::int64_t>(rule.by_month_day.size()) * (rule.by_month.empty() ? 12 : 1);
  else if (std::any_of(rule.by_day_position.begin(), rule.by_day_position.end(), [](int p) { return p == 0; }))
    per_year = rule.by_month.empty() ? 53 : 5;
  std::int64_t n = years * per_year + 1;  // + the DTSTART itself
  if (rule.count > 0) n = std::min<std::int64_t>(n, rule.count + 1);
  return n;
}

}  // namespace marquee
