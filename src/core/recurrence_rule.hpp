#pragma once
// Which recurrence rules an event import accepts (RFC 5545 §3.3.10), decided
// before any expansion: a rule that can never produce an instance, or one
// that steps faster than events happen, would otherwise make an importer
// walk seconds across years.
#include <optional>
#include <string>
#include <vector>

namespace marquee {

/// The parts of an RRULE the guard looks at.
struct RecurrenceShape {
  std::string freq;            ///< "SECONDLY", "MINUTELY", "HOURLY", "DAILY", …
  std::vector<int> by_month;   ///< BYMONTH values, 1..12
  std::vector<int> by_month_day;  ///< BYMONTHDAY values, -31..-1 and 1..31
  std::vector<int> by_day_position;  ///< each BYDAY's ordinal (-53..53), 0 = every such weekday
  std::vector<std::string> other_parts;  ///< the other BY… parts present, by name ("BYHOUR", "BYSETPOS", …)
  int interval = 1;   ///< INTERVAL, ≥ 1
  int count = 0;      ///< COUNT, 0 = none
  int until_year = 0; ///< the year of UNTIL, 0 = none
};

/// Why the rule cannot be imported, or nothing when it can:
/// - FREQ=SECONDLY or MINUTELY: events repeat at most hourly;
/// - BYMONTHDAY values that fall in none of the BYMONTH months (e.g.
///   BYMONTH=2;BYMONTHDAY=30, checked with February's 29 days), so the rule
///   has no instance at all.
std::optional<std::string> unusable_recurrence(const RecurrenceShape& rule);

}  // namespace marquee
