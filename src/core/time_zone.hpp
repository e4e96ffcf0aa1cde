#pragma once
// IANA time zones, a domain concept (Howard Hinnant date/tz over the system
// tzdata): local wall time to UTC and back. The only core file that reads files (tzdata).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime_text.hpp"
#include "core/event.hpp"

namespace marquee {

/// True when `name` is a zone of the system's IANA database ("Europe/Berlin", "UTC").
bool is_known_zone(std::string_view name);
/// Every zone name of the system's IANA database (not the links: old aliases), sorted.
std::vector<std::string> known_zone_names();

/// Maps common non-IANA spellings to IANA names: "/mozilla.org/20070129_1/Europe/Berlin"
/// → "Europe/Berlin", "Etc/GMT" kept, Windows-style "W. Europe Standard Time" for a
/// few frequent zones. Returns nullopt when nothing fits.
std::optional<std::string> canonical_zone(std::string_view name);

/// Converts a parsed date-time to UTC. With an explicit offset the offset wins;
/// otherwise the wall time is read in `zone`. A wall time that does not exist
/// (spring-forward gap) is moved forward by the gap; an ambiguous one
/// (fall-back) takes the earlier instant. Date-only values are local midnight.
/// Throws std::runtime_error for an unknown zone.
UnixSeconds to_utc(const DateTimeText& t, std::string_view zone);

/// The same wall time `days` calendar days later (negative: earlier).
DateTimeText add_days(const DateTimeText& t, int days);

/// Wall-clock view of an instant in a zone.
struct LocalTime {
  std::string date;     ///< "YYYY-MM-DD"
  std::string time;     ///< "HH:MM"
  std::string offset;   ///< "+02:00"
  std::string abbrev;   ///< "CEST"
  int weekday = 0;      ///< 0 = Sunday .. 6 = Saturday
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

/// Throws std::runtime_error for an unknown zone.
LocalTime to_local(UnixSeconds t, std::string_view zone);

/// RFC 3339 text of an instant in a zone, e.g. "2026-06-12T19:00:00+02:00".
std::string format_rfc3339(UnixSeconds t, std::string_view zone);

/// RFC 3339 in UTC, e.g. "2026-06-12T17:00:00Z".
std::string format_utc(UnixSeconds t);

}  // namespace marquee
