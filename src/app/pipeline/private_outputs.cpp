#include <algorithm>
#include <charconv>
#include <cstdint>
#include <future>
#include <memory>

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

using Slots = std::vector<RegistrantValues::Slot>;

/// The slots of `fields` among the registrants' field names: a row's values
/// are read at their places (50,000 registrants and 55,000 roster rows, each
/// made twice, for the CSV file and the workbook), not searched by name.
std::shared_ptr<const Slots> slots_of(const BuildModel& m, const std::vector<std::string>& fields) {
  auto out = std::make_shared<Slots>();
  for (const auto& f : fields) out->push_back(RegistrantValues::slot(m.field_names, f));
  return out;
}

// The two big tables are made row by row while they are encoded (OutputTable::make_row):
// their text is never held whole. The model outlives every encoding.

/// Puts cells into `row` in order, reusing the strings the previous row left
/// there (no allocation once warm); the row ends where the filler is destroyed.
class RowFiller {
 public:
  explicit RowFiller(std::vector<std::string>& row) : row_(row) {}
  RowFiller(const RowFiller&) = delete;
  RowFiller& operator=(const RowFiller&) = delete;
  ~RowFiller() { row_.resize(n_); }
  RowFiller& operator<<(std::string_view cell) {
    if (n_ < row_.size()) row_[n_].assign(cell);
    else row_.emplace_back(cell);
    ++n_;
    return *this;
  }
  RowFiller& operator<<(std::int64_t number) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    return *this << std::string_view(digits, static_cast<std::size_t>(end - digits));
  }

 private:
  std::vector<std::string>& row_;
  std::size_t n_ = 0;
};

OutputTable registrant_table(const BuildModel& m) {
  const std::vector<std::string> fields = person_fields(m.config);
  // status, the person fields, sessions: the columns' order.
  std::vector<std::string> read = {"status"};
  read.insert(read.end(), fields.begin(), fields.end());
  read.push_back("sessions");
  auto slots = slots_of(m, read);
  auto seats = std::make_shared<std::vector<std::string>>(m.registrants.size());
  for (std::size_t s = 0; s < m.sessions.size(); ++s) {
    const SessionUse& use = m.allocation.sessions[s];
    auto add = [&](const std::vector<std::size_t>& list, const char* how) {
      for (auto i : list) {
        std::string& text = (*seats)[i];
        if (!text.empty()) text += "; ";
        text += m.sessions[s].key + how;
      }
    };
    add(use.confirmed, " (confirmed)");
    add(use.waitlisted, " (waiting list)");
    add(use.affected, " (session cancelled)");
  }
  OutputTable t;
  t.name = "Registrants";
  t.numeric_columns = {3};  // line
  t.header = {"key", "source", "file", "line", "status"};
  t.header.insert(t.header.end(), fields.begin(), fields.end());
  t.header.push_back("sessions_chosen");
  t.header.push_back("seats");
  t.more_rows = m.registrants.size();
  t.make_row = [&m, slots, seats = std::shared_ptr<const std::vector<std::string>>(seats)](std::size_t i,
                                                                                        std::vector<std::string>& row) {
    const Registrant& r = m.registrants[i];
    RowFiller cells(row);
    cells << r.key << r.source << r.file << r.line;
    for (const auto& slot : *slots) cells << r.value(slot);
    cells << (*seats)[i];
  };
  return t;
}

/// Session `s`'s roster: confirmed in order, then the waiting list, then the
/// registrants of a cancelled session.
struct Roster {
  const BuildModel* m;
  std::size_t s;
  std::string starts_at;

  std::size_t size() const {
    const SessionUse& use = m->allocation.sessions[s];
    return use.confirmed.size() + use.waitlisted.size() + use.affected.size();
  }
  /// Row `n`'s registrant (an index into the build's registrants), its
  /// seat, and its position in that seat's list (0-based).
  struct Place {
    std::size_t registrant;
    const char* seat;
    std::size_t position;
  };
  Place place(std::size_t n) const {
    const SessionUse& use = m->allocation.sessions[s];
    const std::vector<std::size_t>* list = &use.confirmed;
    const char* seat = "confirmed";
    if (n >= list->size()) n -= list->size(), list = &use.waitlisted, seat = "waiting list";
    if (n >= list->size()) n -= list->size(), list = &use.affected, seat = "session cancelled";
    return {(*list)[n], seat, n};
  }
  void row(std::size_t n, const Slots& fields, std::vector<std::string>& out) const {
    fetch_ahead(n, fields);
    const Event& e = m->sessions[s];
    const Place p = place(n);
    const Registrant& r = m->registrants[p.registrant];
    RowFiller cells(out);
    cells << e.key << e.title << starts_at << e.room << p.seat << static_cast<std::int64_t>(p.position + 1) << r.key;
    for (const auto& slot : fields) cells << r.value(slot);
  }
  /// A roster visits registrants out of their memory order (by seat, then
  /// by time), each a few cache misses deep: the registrant, its values,
  /// their text. Rows ahead of `n` in this session are fetched in three
  /// steps, each reading what an earlier step fetched (rows past the
  /// session's end are not). A hint only: what a row holds is unchanged.
  void fetch_ahead(std::size_t n, const Slots& fields) const {
    const std::size_t rows = size();
    if (n + kAhead < rows) {
      const Registrant& r = m->registrants[place(n + kAhead).registrant];
      __builtin_prefetch(&r.key);
      __builtin_prefetch(&r.values);
    }
    if (n + kAhead / 2 < rows) {
      const Registrant& r = m->registrants[place(n + kAhead / 2).registrant];
      __builtin_prefetch(r.key.data());
      for (const auto& slot : fields) __builtin_prefetch(&r.value(slot));
    }
    if (n + kAhead / 4 < rows) {
      const Registrant& r = m->registrants[place(n + kAhead / 4).registrant];
      for (const auto& slot : fields) __builtin_prefetch(r.value(slot).data());
    }
  }
  static constexpr std::size_t kAhead = 12;
};

std::vector<std::string> roster_header(const std::vector<std::string>& fields) {
  std::vector<std::string> h = {"session_key", "session_title", "starts_at", "room", "seat", "position", "registrant_key"};
  h.insert(h.end(), fields.begin(), fields.end());
  return h;
}

std::shared_ptr<const std::vector<Roster>> all_rosters(const BuildModel& m) {
  auto out = std::make_shared<std::vector<Roster>>();
  for (std::size_t s = 0; s < m.sessions.size(); ++s)
    out->push_back({&m, s, format_rfc3339(m.sessions[s].starts_at, m.sessions[s].time_zone)});
  return out;
}

/// One table per session, named by its key.
std::vector<OutputTable> roster_tables(const BuildModel& m) {
  const std::vector<std::string> fields = person_fields(m.config);
  auto slots = slots_of(m, fields);
  auto rosters = all_rosters(m);
  std::vector<OutputTable> out;
  for (std::size_t s = 0; s < rosters->size(); ++s) {
    OutputTable t;
    t.name = m.sessions[s].key;
    t.numeric_columns = {5};  // position
    t.header = roster_header(fields);
    t.more_rows = (*rosters)[s].size();
    t.make_row = [rosters, slots, s](std::size_t i, std::vector<std::string>& row) { (*rosters)[s].row(i, *slots, row); };
    out.push_back(std::move(t));
  }
  return out;
}

/// Every roster in one table, session after session.
OutputTable merged_rosters(const BuildModel& m) {
  const std::vector<std::string> fields = person_fields(m.config);
  auto slots = slots_of(m, fields);
  auto rosters = all_rosters(m);
  auto ends = std::make_shared<std::vector<std::size_t>>();  // cumulative row counts
  for (const auto& r : *rosters) ends->push_back((ends->empty() ? 0 : ends->back()) + r.size());
  OutputTable t;
  t.header = rosters->empty() ? std::vector<std::string>{"session_key"} : roster_header(fields);
  t.more_rows = ends->empty() ? 0 : ends->back();
  t.make_row = [rosters, slots, ends](std::size_t i, std::vector<std::string>& row) {
    const auto s = static_cast<std::size_t>(std::upper_bound(ends->begin(), ends->end(), i) - ends->begin());
    (*rosters)[s].row(i - (s == 0 ? 0 : (*ends)[s - 1]), *slots, row);
  };
  return t;
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

void private_outputs(const BuildModel& m, const TableEncoders& encode, const OutputSink& sink) {
  const ProjectConfig& c = m.config;
  constexpr std::time_t kFixedCreated = 315532800;  // 1980-01-01T00:00:00Z, the zip entries' date: byte-identical workbooks
  // The workbooks (most of the time) are encoded on their own threads while
  // the CSV files are made and handed on; the model is only read.
  std::future<PieceSource> registrants_xlsx, rosters_xlsx;
  if (wanted(c, "registrants.xlsx"))
    registrants_xlsx = std::async(std::launch::async, [&] {
      std::vector<OutputTable> sheets;
      sheets.push_back(registrant_table(m));
      return encode.xlsx(std::move(sheets), kFixedCreated);
    });
  if (wanted(c, "rosters.xlsx"))
    rosters_xlsx = std::async(std::launch::async, [&] {
      std::vector<OutputTable> all = roster_tables(m);
      if (all.empty()) all.push_back({"Rosters", {"session_key"}, {}, {}});  // a workbook needs a sheet
      return encode.xlsx(std::move(all), kFixedCreated);
    });
  // The two large tables go out in pieces as they are encoded (never a
  // 15 MB string in new memory), the workbooks in pieces read back from
  // their files; the rest whole.
  auto in_pieces = [&](const std::string& path, OutputTable table) {
    sink.put_pieces(path, [&](const PieceWriter& write) { encode.csv_pieces(table, write); });
  };
  if (wanted(c, "registrants.csv")) in_pieces("private/registrants.csv", registrant_table(m));
  if (wanted(c, "rosters.csv")) in_pieces("private/rosters.csv", merged_rosters(m));
  if (wanted(c, "duplicates.csv")) sink.put("private/duplicates.csv", encode.csv(duplicate_table(m)));
  sink.put("private/report.txt", report_text(m));
  if (registrants_xlsx.valid()) sink.put_pieces("private/registrants.xlsx", registrants_xlsx.get());
  if (rosters_xlsx.valid()) sink.put_pieces("private/rosters.xlsx", rosters_xlsx.get());
}

OutputFiles private_outputs(const BuildModel& m, const TableEncoders& encode) {
  OutputFiles files;
  OutputSink sink;
  sink.put = [&files](const std::string& path, std::string bytes) { files[path] = std::move(bytes); };
  sink.put_pieces = [&files](const std::string& path, const PieceSource& source) {
    std::string& bytes = files[path];
    source([&bytes](std::string_view piece) { bytes += piece; });
  };
  private_outputs(m, encode, sink);
  return files;
}

}  // namespace marquee::pipeline
