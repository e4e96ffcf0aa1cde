#pragma once
// Attendee lists for organizers as CSV (RFC 4180) and XLSX (libxlsxwriter):
// one row per registration, one column per extra question.
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/registration.hpp"

namespace marquee {

/// Columns: event_key, event_title, event_start (RFC 3339, venue zone),
/// registration_id, state, name, email, registered_at, checked_in_at,
/// erased_at (UTC RFC 3339), then one column per question of the events
/// involved, headed "<label> [<id>]" (first event's label wins).
/// `registrations` must reference events in `events` by key; others are skipped.
struct AttendeeTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
AttendeeTable attendee_table(const std::vector<Event>& events, const std::vector<Registration>& registrations);

std::string attendees_csv(const AttendeeTable& table);

/// The XLSX workbook bytes (sheet "Attendees", bold frozen header row).
/// Throws std::runtime_error when libxlsxwriter fails.
std::string attendees_xlsx(const AttendeeTable& table);

}  // namespace marquee
