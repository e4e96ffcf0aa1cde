#include <algorithm>
#include <future>

#include "app/pipeline/build_outputs.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee::pipeline {
namespace {

bool wanted(const ProjectConfig& c, const std::string& name) {
  return std::find(c.private_outputs.begin(), c.private_outputs.end(), name) != c.private_outputs.end();
}

std::vector<std::string> person_fields(const ProjectConfig& c) {
  std::vector<std::string> out;
  for (const auto& f : c.field_order)
    if (f != "sessions" && f != "status") out.push_back(f);
  return out;
}

OutputTable registrant_table(const BuildModel& m) {
  const auto fields = person_fields(m.config);
  std::vector<std::vector<std::string>> seats(m.registrants.size());
  for (std::size_t s = 0; s < m.sessions.size(); ++s) {
    const SessionUse& use = m.allocation.sessions[s];
    for (auto i : use.confirmed) seats[i].push_back(m.sessions[s].key + " (confirmed)");
    for (auto i : use.waitlisted) seats[i].push_back(m.sessions[s].key + " (waiting list)");
    for (auto i : use.affected) seats[i].push_back(m.sessions[s].key + " (session cancelled)");
  }
  OutputTable t;
  t.name = "Registrants";
  t.numeric_columns = {3};  // line
  t.header = {"key", "source", "file", "line", "status"};
  t.header.insert(t.header.end(), fields.begin(), fields.end());
  t.header.push_back("sessions_chosen");
  t.header.push_back("seats");
  for (std::size_t i = 0; i < m.registrants.size(); ++i) {
    const Registrant& r = m.registrants[i];
    std::vector<std::string> row = {r.key, r.source, r.file, std::to_string(r.line), r.value("status")};
    for (const auto& f : fields) row.push_back(r.value(f));
    row.push_back(r.value("sessions"));
    row.push_back(join(seats[i], "; "));
    t.rows.push_back(std::move(row));
  }
  return t;
}

/// One table per session, named by its key.
std::vector<OutputTable> rosters(const BuildModel& m) {
  const auto fields = person_fields(m.config);
  std::vector<OutputTable> out;
  for (std::size_t s = 0; s < m.sessions.size(); ++s) {
    const Event& e = m.sessions[s];
    const SessionUse& use = m.allocation.sessions[s];
    OutputTable t;
    t.name = e.key;
    t.numeric_columns = {5};  // position
    t.header = {"session_key", "session_title", "starts_at", "room", "seat", "position", "registrant_key"};
    t.header.insert(t.header.end(), fields.begin(), fields.end());
    const std::string starts_at = format_rfc3339(e.starts_at, e.time_zone);
    auto add = [&](const std::vector<std::size_t>& list, const char* seat) {
      for (std::size_t n = 0; n < list.size(); ++n) {
        const Registrant& r = m.registrants[list[n]];
        std::vector<std::string> row = {e.key, e.title, starts_at, e.room, seat,
                                        std::to_string(n + 1), r.key};
        for (const auto& f : fields) row.push_back(r.value(f));
        t.rows.push_back(std::move(row));
      }
    };
    add(use.confirmed, "confirmed");
    add(use.waitlisted, "waiting list");
    add(use.affected, "session cancelled");
    out.push_back(std::move(t));
  }
  return out;
}

OutputTable duplicate_table(const BuildModel& m) {
  OutputTable t;
  t.header = {"group", "reason", "key", "source", "file", "line", "name", "email", "phone", "registered_at"};
  for (std::size_t g = 0; g < m.duplicates.size(); ++g)
    for (auto i : m.duplicates[g].members) {
      const Registrant& r = m.registrants[i];
      t.rows.push_back({std::to_string(g + 1), m.duplicates[g].reason, r.key, r.source, r.file, std::to_string(r.line),
                        r.value("name"), r.value("email"), r.value("phone"), r.value("registered_at")});
    }
  return t;
}

std::string report_text(const BuildModel& m) {
  std::string out = "Build report: " + m.config.title + "\n\n";
  out += std::to_string(m.registrants.size()) + " registrants from " + std::to_string(m.sources.size()) + " sources, " +
         std::to_string(m.sessions.size()) + " sessions, " + std::to_string(m.patches.size()) + " patches, " +
         std::to_string(m.overrides.size()) + " overrides\n";
  out += "\nWarnings (" + std::to_string(m.warnings.size()) + "):\n";
  for (const auto& w : m.warnings) out += "  " + w + "\n";
  out += "\nPossible duplicates (" + std::to_string(m.duplicates.size()) +
         " groups; mark one with a patch: field = \"status\", new = \"duplicate\"):\n";
  for (const auto& g : m.duplicates) {
    std::vector<std::string> who;
    for (auto i : g.members) who.push_back(m.registrants[i].key + " (" + m.registrants[i].file + " line " +
                                           std::to_string(m.registrants[i].line) + ")");
    out += "  " + g.reason + ": " + join(who, ", ") + "\n";
  }
  out += "\nOverlapping seats (" + std::to_string(m.allocation.conflicts.size()) + "):\n";
  for (const auto& c : m.allocation.conflicts)
    out += "  " + m.registrants[c.registrant].key + ": " + c.first + " overlaps " + c.second + "\n";
  out += "\nSessions over capacity or cancelled with registrants:\n";
  for (std::size_t s = 0; s < m.sessions.size(); ++s) {
    const SessionUse& use = m.allocation.sessions[s];
    if (!use.waitlisted.empty())
      out += "  " + m.sessions[s].key + ": " + std::to_string(use.waitlisted.size()) + " on the waiting list\n";
    if (!use.affected.empty())
      out += "  " + m.sessions[s].key + ": cancelled, " + std::to_string(use.affected.size()) + " registrants to tell\n";
  }
  return out;
}

}  // namespace

OutputFiles private_outputs(const BuildModel& m, const TableEncoders& encode) {
  OutputFiles files;
  const ProjectConfig& c = m.config;
  constexpr std::time_t kFixedCreated = 315532800;  // 1980-01-01T00:00:00Z, the zip entries' date: byte-identical workbooks
  // The registrants' workbook is encoded on its own thread while the rosters are made.
  std::future<std::string> registrants_xlsx;
  if (wanted(c, "registrants.csv") || wanted(c, "registrants.xlsx")) {
    OutputTable t = registrant_table(m);
    if (wanted(c, "registrants.csv")) files["private/registrants.csv"] = encode.csv(t);
    if (wanted(c, "registrants.xlsx")) {
      std::vector<OutputTable> sheets;
      sheets.push_back(std::move(t));  // the last use: no copy of the rows
      registrants_xlsx = std::async(std::launch::async, [&encode, sheets = std::move(sheets), kFixedCreated]() mutable {
        return encode.xlsx(std::move(sheets), kFixedCreated);
      });
    }
  }
  if (wanted(c, "rosters.csv") || wanted(c, "rosters.xlsx")) {
    std::vector<OutputTable> all = rosters(m);
    if (wanted(c, "rosters.csv")) {
      OutputTable merged;
      for (const auto& t : all) {
        merged.header = t.header;
        merged.rows.insert(merged.rows.end(), t.rows.begin(), t.rows.end());
      }
      if (merged.header.empty()) merged.header = {"session_key"};
      files["private/rosters.csv"] = encode.csv(merged);
    }
    if (wanted(c, "rosters.xlsx")) {
      if (all.empty()) all.push_back({"Rosters", {"session_key"}, {}, {}});  // a workbook needs a sheet
      files["private/rosters.xlsx"] = encode.xlsx(std::move(all), kFixedCreated);
    }
  }
  if (wanted(c, "duplicates.csv")) files["private/duplicates.csv"] = encode.csv(duplicate_table(m));
  files["private/report.txt"] = report_text(m);
  if (registrants_xlsx.valid()) files["private/registrants.xlsx"] = registrants_xlsx.get();
  return files;
}

}  // namespace marquee::pipeline
