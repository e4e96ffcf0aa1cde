#pragma once
// How an event's day and time read in English, for pages and e-mail alike.
#include <string>

#include "core/event.hpp"
#include "core/programme.hpp"

namespace marquee {

/// "Friday 12 June 2026" for "2026-06-12" (ISO 8601 calendar date); the
/// text unchanged when it is not a valid date.
std::string day_label(const std::string& ymd);

/// "19:00–21:00", "19:00" (no end), "All day", "All day, until Sunday 14
/// June 2026": the entry's local times.
std::string time_range(const ProgrammeEntry& p);

/// "Friday 11 June 2027, 19:00–21:00 (Europe/Berlin)" in the event's zone.
std::string when_text(const Event& e);

/// "Friday 11 June 2027, 09:00 (Europe/Berlin)": the instant `t` (UTC
/// seconds) in time zone `zone` (IANA name).
std::string instant_text(UnixSeconds t, const std::string& zone);

}  // namespace marquee
