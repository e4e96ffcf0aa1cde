#pragma once
// Which VTIMEZONE observance rules an iCalendar import accepts (RFC 5545
// §3.6.5). A time zone's STANDARD/DAYLIGHT rule is expanded by the calendar
// library from its DTSTART to far-future years the first time a time in the
// zone is converted, before any import budget applies: a rule repeating every
// minute, or one with every BY… list full, would make one file expand for
// hours. Real zones change at most a few times a year.
#include <cstdint>
#include <optional>
#include <string>

#include "core/recurrence_rule.hpp"

namespace marquee {

/// Why an observance rule cannot be used, or nothing when it can. Accepted:
/// FREQ=YEARLY with at most one BYMONTH, at most one BYDAY, at most seven
/// BYMONTHDAY values (the "Sunday on or after the 8th" form), and COUNT,
/// UNTIL and INTERVAL; no other BY… part; never a rule that can never occur.
std::optional<std::string> unusable_time_zone_rule(const RecurrenceShape& rule);

/// An upper bound on the transitions an accepted rule yields from the year of
/// its DTSTART (`first_year`) through `last_year`, both inclusive (fewer with
/// COUNT, UNTIL or INTERVAL). 0 when last_year < first_year.
std::int64_t time_zone_rule_transitions(const RecurrenceShape& rule, int first_year, int last_year);

}  // namespace marquee
