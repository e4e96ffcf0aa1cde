#pragma once
// iCalendar (RFC 5545) import through libical: VEVENTs to SourceRecords.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/source_record.hpp"
#include "core/event.hpp"
#include "core/import_report.hpp"

namespace marquee {

struct IcsOptions {
  UnixSeconds window_start = 0;   ///< recurring events: first occurrence kept (UTC)
  UnixSeconds window_end = 0;     ///< recurring events: last occurrence kept (UTC)
  int max_occurrences = 1000;     ///< per RRULE, a guard against endless rules
  std::size_t max_events = 50000; ///< per file, occurrences included; the rest is an error
  /// Wall-clock budget for expanding every RRULE of one file, in ms; a rule
  /// still stepping then is cut off with an error on its line.
  int time_budget_ms = 10000;
};

/// Reads every VEVENT (RFC 5545 §3.6.1) of `text`. DTSTART/DTEND/DURATION keep
/// their TZID (mapped to an IANA name when possible, else converted to UTC
/// through the file's VTIMEZONE); VALUE=DATE gives all-day events. RRULEs are
/// expanded inside the window, minus EXDATEs and instances overridden by a
/// RECURRENCE-ID; the walk starts at the window (not at an old DTSTART) and
/// is bounded by steps and time_budget_ms; FREQ=SECONDLY/MINUTELY and rules
/// that can never occur are errors on their line (core/recurrence_rule.hpp).
/// A VTIMEZONE whose rules would expand without bound (core/time_zone_rule.hpp)
/// is ignored with a warning on its BEGIN line, before any time is converted.
/// At most max_events events are read (an error on the first one left out).
/// STATUS:CANCELLED → status cancelled. record_id is UID (plus
/// the instance start for occurrences). Lines are the BEGIN:VEVENT lines.
/// `fatal` is set when the text is not an iCalendar object at all.
std::vector<SourceRecord> read_ics(std::string_view text, const IcsOptions& options, std::vector<RowIssue>* issues,
                                   std::string* fatal);

}  // namespace marquee
