#include "adapters/export/attendee_export.hpp"

#include <algorithm>
#include <map>

#include "adapters/export/xlsx_workbook.hpp"
#include "adapters/formats/csv_reader.hpp"
#include "core/time_zone.hpp"

namespace marquee {

AttendeeTable attendee_table(const std::vector<Event>& events, const std::vector<Registration>& registrations) {
  std::map<std::string, const Event*> by_key;
  for (const auto& e : events) by_key[e.key] = &e;
  // Question columns in first-seen order over the events that have registrations.
  std::vector<std::pair<std::string, std::string>> questions;  // id, header
  for (const auto& r : registrations) {
    auto it = by_key.find(r.event_key);
    if (it == by_key.end()) continue;
    for (const auto& q : it->second->questions)
      if (std::none_of(questions.begin(), questions.end(), [&](const auto& x) { return x.first == q.id; }))
        questions.emplace_back(q.id, q.label + " [" + q.id + "]");
  }
  AttendeeTable t;
  t.header = {"event_key", "event_title", "event_start", "registration_id", "state", "name", "email",
              "registered_at", "checked_in_at", "erased_at"};
  for (const auto& q : questions) t.header.push_back(q.second);
  auto utc = [](const std::optional<UnixSeconds>& v) { return v ? format_utc(*v) : std::string(); };
  for (const auto& r : registrations) {
    auto it = by_key.find(r.event_key);
    if (it == by_key.end()) continue;
    const Event& e = *it->second;
    std::vector<std::string> row = {e.key, e.title, format_rfc3339(e.starts_at, e.time_zone), std::to_string(r.id),
                                    std::string(to_string(r.state)), r.name, r.email, format_utc(r.created_at),
                                    utc(r.checked_in_at), utc(r.erased_at)};
    for (const auto& q : questions) {
      std::string value;
      for (const auto& [id, v] : r.answers)
        if (id == q.first) value = v;
      row.push_back(value);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string attendees_csv(const AttendeeTable& table) {
  std::string out = csv_record(table.header);
  for (const auto& row : table.rows) out += csv_record(row);
  return out;
}

std::string attendees_xlsx(const AttendeeTable& table) {
  return xlsx_workbook({XlsxSheet{"Attendees", table.header, table.rows, {3}}});
}

}  // namespace marquee
