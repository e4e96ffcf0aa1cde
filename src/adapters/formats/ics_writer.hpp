#pragma once
// iCalendar output (RFC 5545, built with libical so escaping and line
// folding are the library's).
#include <string>

#include "core/event.hpp"

namespace marquee {

/// A VCALENDAR with one VEVENT for `e`: UID "<key>@marquee", DTSTAMP `now`,
/// DTSTART/DTEND in UTC (VALUE=DATE for all-day events), SUMMARY, DESCRIPTION
/// (the Markdown text), LOCATION (venue, room, address), URL, and
/// STATUS:CANCELLED for cancelled events. `method`: "" or e.g. "PUBLISH".
std::string event_ics(const Event& e, UnixSeconds now, const std::string& method = "PUBLISH");

}  // namespace marquee
