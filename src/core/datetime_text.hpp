#pragma once
// Parsing of the date, time and duration spellings found in real event data.
// Pure text → fields; converting local times to UTC needs a time zone and is
// done by core/time_zone.hpp.
#include <optional>
#include <string_view>

namespace marquee {

/// Which field comes first in an all-numeric date such as 03/04/2026.
enum class DateOrder { dmy, mdy, ymd };

/// A calendar date and optional wall-clock time as written in the source.
struct DateTimeText {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  bool has_time = false;
  std::optional<int> offset_minutes;  ///< from "Z" (0) or "+02:00"; none = local time
};

/// Parses one date or date-time. Accepted spellings (case-insensitive, extra spaces ok):
///   ISO 8601 / RFC 3339: 2026-03-03, 2026-03-03T19:00, 2026-03-03 19:00:30,
///     2026-03-03T19:00:00Z, 2026-03-03T19:00:00+01:00, 20260303T190000Z (iCalendar basic form)
///   numeric: 03/03/2026, 3.3.2026, 03-03-2026 (order by `order`; "yyyy/mm/dd" always ymd),
///     each optionally followed by a time
///   written months: "March 3, 2026 7pm", "Mar 3 2026 19:30", "3 March 2026", "Tue, 3 Mar 2026 19:00"
///     (English month names and 3-letter abbreviations)
///   times: 19:00, 19:00:00, 7pm, 7:30 pm, 07:00:00 AM, 19h, 19.30 (after a date)
/// Returns nullopt for anything else and for impossible values (31/02/2026, 25:00).
std::optional<DateTimeText> parse_datetime_text(std::string_view text, DateOrder order);

/// Parses a lone time of day ("19:00", "7pm", "7:30 PM", "19.30", "19h").
/// Returns {hour, minute, second} or nullopt.
struct TimeOfDay {
  int hour = 0, minute = 0, second = 0;
};
std::optional<TimeOfDay> parse_time_of_day(std::string_view text);

/// Parses a duration into seconds: "01:30" and "1:30:00" (h:mm[:ss]), "90" (minutes),
/// "90m", "90 min", "1h30", "1h 30m", "2 hours", ISO 8601 "PT1H30M" / "P1D".
/// Returns nullopt for anything else, a negative value, a number of 10^9
/// units or more, or a total of 10^9 days or more (never overflows).
std::optional<long long> parse_duration_seconds(std::string_view text);

/// True for a valid proleptic Gregorian date.
bool valid_date(int year, int month, int day);

}  // namespace marquee
