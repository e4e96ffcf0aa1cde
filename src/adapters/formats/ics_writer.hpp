#pragma once
// iCalendar output (RFC 5545), built with libical so that escaping and line
// folding (§3.1, 75 octets) are the library's. Scheduling messages follow
// iTIP (RFC 5546): METHOD:REQUEST for an invitation or update, METHOD:CANCEL
// for a cancellation.
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// One VEVENT of a calendar.
struct CalendarEntry {
  const Event* event = nullptr;
  std::int64_t sequence = 0;  ///< SEQUENCE (RFC 5545 §3.8.7.4): bumped by each publish that changed the event
  std::string url;            ///< absolute URL of the event page; "" = the event's own url field
};

struct CalendarOptions {
  std::string method;          ///< "", "PUBLISH", "REQUEST" or "CANCEL" (RFC 5546 §1.4)
  std::string name;            ///< X-WR-CALNAME (shown by subscribing clients); "" = none
  std::string organizer_email; ///< ORGANIZER (required by iTIP REQUEST/CANCEL); "" = none
  std::string organizer_name;  ///< its CN
  std::string attendee_email;  ///< ATTENDEE (iTIP); "" = none
  std::string attendee_name;   ///< its CN
};

/// A VCALENDAR with a VEVENT per entry and a VTIMEZONE (from the system's
/// IANA data, truncated to the year before the first event) for every zone
/// the timed events use. Per VEVENT: UID "<key>@marquee" (stable across
/// publishes), SEQUENCE, DTSTAMP `now`, DTSTART/DTEND as local time with
/// TZID=<IANA zone> (UTC events with "Z", all-day events as VALUE=DATE with
/// an exclusive end), SUMMARY, DESCRIPTION (the Markdown text), LOCATION
/// ("venue, room, address"), CATEGORIES (category then tags), URL, STATUS
/// (CANCELLED for cancelled events and for METHOD:CANCEL, else CONFIRMED),
/// and X-MARQUEE-KEY/-VENUE/-ROOM/-ADDRESS/-ORGANIZER (and -TIME-ZONE for
/// an all-day event, whose DATE values carry no TZID) so that Marquee's own
/// iCalendar import gets the same event back. Throws std::runtime_error for
/// a zone the system does not know.
std::string calendar_ics(const std::vector<CalendarEntry>& entries, UnixSeconds now, const CalendarOptions& options);

/// calendar_ics for one event with SEQUENCE 0 and `method` ("PUBLISH" by default).
std::string event_ics(const Event& e, UnixSeconds now, const std::string& method = "PUBLISH");

}  // namespace marquee
