#include "adapters/export/attendee_export.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/time_zone.hpp"

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
  // libxlsxwriter writes to a file; use a private temporary one.
  char path[] = "/tmp/marquee-attendees-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX export");
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  if (!wb) {
    std::filesystem::remove(path);
    throw std::runtime_error("libxlsxwriter could not create a workbook");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Attendees");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t c = 0; c < table.header.size(); ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.header[c].c_str(), bold);
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      const std::string& v = table.rows[r][c];
      if (c == 3) worksheet_write_number(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), std::stod(v), nullptr);
      else if (!v.empty()) worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), v.c_str(), nullptr);
    }
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_set_column(ws, 0, static_cast<lxw_col_t>(table.header.size() ? table.header.size() - 1 : 0), 18, nullptr);
  const lxw_error err = workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  if (err != LXW_NO_ERROR) throw std::runtime_error(std::string("XLSX export failed: ") + lxw_strerror(err));
  return bytes.str();
}

}  // namespace marquee
