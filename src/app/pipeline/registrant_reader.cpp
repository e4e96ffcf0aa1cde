// Raw exports → registrants: read each CSV exactly as received, map its
// columns to fields and normalize every answer.
#include <algorithm>
#include <cmath>
#include <future>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include <date/date.h>

#include "core/time_zone.hpp"
#include "app/pipeline/build_model.hpp"
#include "app/pipeline/merged_placement.hpp"
#include "app/pipeline/pipeline_ports.hpp"
#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

/// What reading one raw export gives: its data (when it could be read) and
/// its warnings and errors in row order; its registrants are in the build's
/// list (MergedPlacement).
struct SourceRead {
  std::optional<SourceData> data;
  std::vector<std::string> warnings;
  std::vector<BuildModel::ValueNote> value_notes;  ///< `warning` indexes `warnings`
  std::vector<std::string> errors;
};

std::string header_name(std::string_view h) { return fold_key(h); }

/// Google Sheets serial date-times (days since 1899-12-30, fraction = time of day).
std::optional<DateTimeText> sheets_serial(std::string_view text) {
  const std::string t = trim(text);
  if (t.empty() || t.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  double serial = 0;
  try {
    serial = std::stod(t);
  } catch (...) {
    return std::nullopt;
  }
  if (serial < 20000 || serial > 80000) return std::nullopt;  // 1954 … 2119
  const auto days = static_cast<long>(std::floor(serial));
  const auto secs = static_cast<long>(std::lround((serial - days) * 86400.0));
  const date::year_month_day ymd{date::sys_days{date::year{1899} / 12 / 30} + date::days{days}};
  DateTimeText d;
  d.year = static_cast<int>(ymd.year());
  d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  d.hour = static_cast<int>(secs / 3600);
  d.minute = static_cast<int>(secs / 60 % 60);
  d.second = static_cast<int>(secs % 60);
  d.has_time = true;
  return d;
}

/// Session answers: options joined by ", " whose titles may themselves
/// contain commas, so the longest run of parts that names a session wins.
Normalized match_sessions(const ProjectConfig& c, const SessionNames& lookup, const FieldSpec& spec,
                          std::string_view text) {
  const ValueMap* vm = spec.value_map.empty() ? nullptr : &c.value_maps.at(spec.value_map);
  auto resolve = [&](const std::string& answer) -> std::optional<std::string> {
    std::string a = fold_key(answer);
    if (vm) {
      if (auto it = vm->entries.find(a); it != vm->entries.end()) {
        if (it->second.empty()) return std::string();  // mapped to no session on purpose (a day pass)
        a = fold_key(it->second);
      }
    }
    if (auto it = lookup.find(a); it != lookup.end()) return it->second;
    return std::nullopt;
  };
  std::string cell = collapse_whitespace(text);
  std::replace(cell.begin(), cell.end(), ';', ',');
  const auto parts = split_list(cell, ',');
  std::set<std::string> keys;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < parts.size();) {
    std::size_t used = 0;
    for (std::size_t j = parts.size(); j > i && !used; --j) {
      std::vector<std::string> run(parts.begin() + static_cast<long>(i), parts.begin() + static_cast<long>(j));
      if (auto key = resolve(join(run, ", "))) {
        if (!key->empty()) keys.insert(*key);
        used = j - i;
      }
    }
    if (!used) {
      unknown.push_back("\"" + parts[i] + "\"");
      used = 1;
    }
    i += used;
  }
  Normalized n;
  n.value = join(std::vector<std::string>(keys.begin(), keys.end()), "; ");
  if (!unknown.empty()) n.note = "no session is called " + join(unknown, ", ");
  return n;
}

}  // namespace

BuildFailed::BuildFailed(std::vector<std::string> errors)
    : std::runtime_error(errors.empty() ? "build failed" : errors.front()), errors_(std::move(errors)) {}

std::optional<std::size_t> SourceData::column(std::string_view name) const {
  auto it = columns.find(header_name(name));
  if (it == columns.end()) return std::nullopt;
  return it->second;
}

const Event* BuildModel::session(const std::string& key) const {
  for (const auto& s : sessions)
    if (s.key == key) return &s;
  return nullptr;
}

SessionNames session_names(const std::vector<Event>& sessions) {
  SessionNames names;
  for (const auto& s : sessions) {
    names.emplace(fold_key(s.title), s.key);
    names.emplace(fold_key(s.key), s.key);
  }
  return names;
}

Normalized normalize_answer(const ProjectConfig& c, const SessionNames& sessions, const FieldSpec& spec,
                            std::string_view text, const std::string& time_zone, DateOrder order, std::int64_t* utc) {
  const ValueMap* vm = spec.value_map.empty() ? nullptr : &c.value_maps.at(spec.value_map);
  switch (spec.kind) {
    case FieldKind::text: return {collapse_whitespace(nfc(text)), ""};
    case FieldKind::name: return normalize_name(text);
    case FieldKind::email: return normalize_email(text);
    case FieldKind::phone: return normalize_phone(text, c.default_phone_country);
    case FieldKind::yes_no: return normalize_yes_no(text, vm);
    case FieldKind::choice: return map_choice(text, vm);
    case FieldKind::list: return map_list(text, vm);
    case FieldKind::status: return normalize_status(text, vm);
    case FieldKind::sessions: return match_sessions(c, sessions, spec, text);
    case FieldKind::datetime: {
      const std::string t = trim(text);
      if (t.empty()) return {};
      auto parsed = parse_datetime_text(t, order);
      if (!parsed) parsed = sheets_serial(t);
      if (!parsed) return {"", "not a date and time: \"" + t + "\""};
      const UnixSeconds instant = to_utc(*parsed, time_zone);
      if (utc) *utc = instant;
      return {format_rfc3339(instant, time_zone), ""};
    }
  }
  return {std::string(text), ""};
}

namespace {

// Names the columns of `data` (decoded; a repeated header's second copy is
// "Name#2") and checks that the mapping's columns exist; false, with the
// error, when some are missing.
bool map_columns(SourceRead& m, SourceData& data, const FormatMapping& fmt, std::vector<std::string>* errors) {
  const SourceConfig& sc = data.config;
  auto decode = [&](std::string& cell) {
    if (fmt.encoding == "latin-1") cell = latin1_to_utf8(cell);
  };
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < data.header.size(); ++i) {
    decode(data.header[i]);
    std::string name = header_name(data.header[i]);
    const int n = ++seen[name];
    if (n > 1) name += "#" + std::to_string(n);
    data.columns.emplace(name, i);
  }
  // The mapping and the file must agree on the columns.
  std::vector<std::string> missing;
  auto need = [&](const std::string& column, const std::string& role) {
    if (data.column(column)) {
      // "Name" is the first column so named and "Name#2" the second: say so when it matters.
      if (role != "personal_columns" && seen[header_name(column)] > 1 && column.find('#') == std::string::npos)
        m.warnings.push_back(sc.file + ": the header \"" + column + "\" (" + role + ") appears " +
                             std::to_string(seen[header_name(column)]) + " times; the first is used (\"" + column +
                             "#2\" names the second)");
      return;
    }
    missing.push_back("\"" + column + "\" (" + role + ")");
  };
  for (const auto& col : fmt.record_id) need(col, "record_id");
  for (const auto& [field, cols] : fmt.columns)
    for (const auto& col : cols) need(col, "field " + field);
  for (const auto& col : fmt.personal_columns) need(col, "personal_columns");
  if (!missing.empty()) {
    std::vector<std::string> have;
    for (const auto& h : data.header) have.push_back("\"" + trim(h) + "\"");
    errors->push_back(sc.file + ": its columns do not match [formats." + fmt.name +
                      "] in config/mappings.toml: missing " + join(missing, ", ") + "; the file has " + join(have, ", "));
    return false;
  }
  return true;
}

// Reads the rows of `data` into their places in the build's registrants
// (`placement`, as its reader number `reader`: blocks in arrive() until
// every export's reader has its keys), each value normalised in `zone`; its
// warnings in row order. Throws what arrive() throws.
void read_rows(const ProjectConfig& c, const SessionNames& session_names, SourceRead& m, const SourceData& data,
               const FormatMapping& fmt, const std::string& zone, const std::shared_ptr<const RegistrantValues::Names>& names,
               MergedPlacement& placement, std::size_t reader) {
  const SourceConfig& sc = data.config;
  // Column indices, looked up once (map_columns checked they exist).
  std::vector<std::size_t> id_columns;
  for (const auto& col : fmt.record_id) id_columns.push_back(*data.column(col));
  struct Mapped {
    const std::string* field;
    const FieldSpec* spec;
    RegistrantValues::Slot slot;  ///< where each registrant keeps it
    std::vector<std::size_t> columns;
  };
  std::vector<Mapped> mapped;
  for (const auto& field : c.field_order) {
    auto cols = fmt.columns.find(field);
    if (cols == fmt.columns.end()) continue;
    Mapped f{&field, &c.fields.at(field), RegistrantValues::slot(names, field), {}};
    for (const auto& col : cols->second) f.columns.push_back(*data.column(col));
    mapped.push_back(std::move(f));
  }
  // First, in row order: the rows left out (with their warnings) and each
  // kept row's key. Then the kept rows are normalized in key order, the
  // order the build reads them in: each registrant's values are made one
  // after another in memory, and the tables made from them (50,000 rows,
  // twice) read the memory in order rather than at random (docs/
  // performance.md, "Registrants made in the order they are read"). The warnings are put back in row order.
  struct Kept {
    std::string key;
    std::size_t row = 0;
  };
  struct RowWarning {
    std::size_t row = 0;
    std::string text;
    std::string key, field;  ///< a value's warning: its registrant and field; "" for a row's
  };
  std::vector<Kept> kept;
  kept.reserve(data.rows.size());
  std::vector<RowWarning> row_warnings, value_warnings;  // each in row order (value ones once sorted)
  std::unordered_set<std::string> keys;
  keys.reserve(data.rows.size());
  std::vector<std::string> id;
  auto where = [&](std::size_t row) { return sc.file + " line " + std::to_string(data.rows.line(row)); };
  for (std::size_t row = 0; row < data.rows.size(); ++row) {
    const std::size_t width = data.rows.width(row);
    if (width != data.header.size()) {
      row_warnings.push_back({row, where(row) + ": " + std::to_string(width) + " fields where the header has " +
                                       std::to_string(data.header.size()) + "; row left out", {}, {}});
      continue;
    }
    bool utf8_ok = true, blank = true;
    for (std::size_t col = 0; col < width; ++col) {
      const std::string_view cell = data.rows.cell(row, col);
      utf8_ok = utf8_ok && valid_utf8(cell);
      blank = blank && trim(cell).empty();
    }
    if (!utf8_ok) {
      row_warnings.push_back(
          {row, where(row) + ": not valid UTF-8 (set encoding = \"latin-1\" for this format?); row left out", {}, {}});
      continue;
    }
    if (blank) continue;
    id.clear();
    for (auto col : id_columns) id.push_back(trim(data.rows.cell(row, col)));
    std::string key = registrant_key(sc.name, id);
    for (int n = 2; keys.contains(key); ++n) {
      if (n == 2)
        row_warnings.push_back({row, where(row) + ": the same record id as an earlier row (" + join(id, " / ") +
                                         "); kept as a separate registrant", {}, {}});
      auto more = id;
      more.push_back("#" + std::to_string(n));
      key = registrant_key(sc.name, more);
    }
    keys.insert(key);
    kept.push_back({std::move(key), row});
  }
  keys = {};
  // Keys are unique within a source (a repeated record id got "#2"). Once
  // every source has its keys, each registrant's place in the build's list
  // is known: it is made there, with no merge of the sources afterwards.
  std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) { return a.key < b.key; });
  std::vector<std::string_view> sorted_keys;
  sorted_keys.reserve(kept.size());
  for (const auto& k : kept) sorted_keys.emplace_back(k.key);
  const MergedPlacement::Places places = placement.arrive(reader, sorted_keys);
  sorted_keys = {};
  std::vector<Registrant>& list = placement.list();

  const bool has_status = fmt.columns.contains("status");
  const auto status = RegistrantValues::slot(names, "status");
  std::string joined;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    auto& [key, row] = kept[i];
    Registrant& r = list[places.at[i]];
    r.source = sc.name;
    r.source_index = places.rank;
    r.row_index = row;
    r.file = sc.file;
    r.line = data.rows.line(row);
    r.values = RegistrantValues(names);
    r.key = std::move(key);
    for (const auto& f : mapped) {
      joined.clear();
      for (auto col : f.columns) {
        const std::string cell = trim(data.rows.cell(row, col));
        if (cell.empty()) continue;
        if (!joined.empty()) joined += ' ';
        joined += cell;
      }
      std::int64_t utc = 0;
      Normalized n = normalize_answer(c, session_names, *f.spec, joined, zone, fmt.date_order, &utc);
      if (*f.field == "registered_at") r.registered_at = utc;
      if (!n.note.empty()) value_warnings.push_back({row, where(row) + ", " + *f.field + ": " + n.note, r.key, *f.field});
      r.values[f.slot] = std::move(n.value);
    }
    if (!has_status) r.values[status] = "active";  // a format without a status column
  }
  kept = {};
  // A row's own warnings come before its values' (in field order), rows in order.
  std::stable_sort(value_warnings.begin(), value_warnings.end(),
                   [](const RowWarning& a, const RowWarning& b) { return a.row < b.row; });
  auto a = row_warnings.begin(), b = value_warnings.begin();
  while (a != row_warnings.end() || b != value_warnings.end()) {
    const bool value = a == row_warnings.end() || (b != value_warnings.end() && b->row < a->row);
    RowWarning& w = value ? *b++ : *a++;
    if (value) m.value_notes.push_back({m.warnings.size(), std::move(w.key), std::move(w.field)});
    m.warnings.push_back(std::move(w.text));
  }
}

/// Reads one raw export on its own (exports are read in parallel), reader
/// `reader` of `placement`, which it always leaves on its way out where it
/// did not arrive; `names` are the fields every registrant has. Throws what
/// the ports and read_rows throw.
SourceRead read_source(const ProjectConfig& c, const SessionNames& session_names, const PipelinePorts& ports,
                       const SourceConfig& sc, const std::shared_ptr<const RegistrantValues::Names>& names,
                       MergedPlacement& placement, std::size_t reader) {
  // However it ends (an error, an exception), the other readers are not left waiting.
  struct Leave {
    MergedPlacement& placement;
    std::size_t reader;
    ~Leave() { placement.leave(reader); }
  } leave{placement, reader};
  SourceRead out;
  const FormatMapping& fmt = c.formats.at(sc.format);
  const std::string zone = sc.time_zone.empty() ? c.time_zone : sc.time_zone;
  if (!is_known_zone(zone)) {
    out.errors.push_back("config/pipeline.toml:" + std::to_string(sc.line) + ": unknown time zone \"" + zone + "\"");
    return out;
  }
  std::string error;
  auto bytes = ports.files.read(c.dir / sc.file, &error);
  if (!bytes) {
    out.errors.push_back(sc.file + ": " + error);
    return out;
  }
  SourceData data;
  data.config = sc;
  data.rows.reserve(bytes->size());
  bool first = true;
  const bool latin1 = fmt.encoding == "latin-1";
  const std::string csv_error = ports.read_csv(*bytes, fmt.delimiter, [&](CsvRecord&& rec) {
    if (first) {
      data.header = std::move(rec.fields);
      first = false;
      return;
    }
    if (latin1)
      for (auto& cell : rec.fields) cell = latin1_to_utf8(cell);
    data.rows.add(rec.line, rec.fields);
  });
  bytes.reset();  // the rows hold their own copy: the file's bytes are given back before the rows are read
  placement.expect(reader, data.rows.size());  // at most a registrant a row
  if (!csv_error.empty()) {
    out.errors.push_back(sc.file + ": not a readable CSV file: " + csv_error);
    return out;
  }
  if (data.header.empty()) {
    out.errors.push_back(sc.file + ": empty file (no header row)");
    return out;
  }
  if (!map_columns(out, data, fmt, &out.errors)) return out;
  read_rows(c, session_names, out, data, fmt, zone, names, placement, reader);
  out.data = std::move(data);
  return out;
}

}  // namespace

void read_registrants(BuildModel& m, const PipelinePorts& ports, std::vector<std::string>* errors) {
  if (!m.sources.empty() || !m.registrants.empty())
    throw std::logic_error("read_registrants: the model already has sources or registrants");
  const ProjectConfig& c = m.config;
  // Every registrant has the declared fields, "status" and "sessions".
  std::vector<std::string> fields = {"status", "sessions"};
  for (const auto& [field, spec] : c.fields) fields.push_back(field);
  const auto names = RegistrantValues::make_names(std::move(fields));
  m.field_names = names;
  // Each export on its own thread; the results are put together in the
  // order of the sources, so warnings and indices are as if read one by one.
  // The registrants go straight into their places by key: ties between
  // sources (were two keys ever equal; the source's name is hashed in) by
  // the sources' order.
  MergedPlacement placement(c.sources.size());
  std::vector<std::future<SourceRead>> reads;
  reads.reserve(c.sources.size());  // no future dropped (and waited for) by a failing push_back
  try {
    for (std::size_t s = 0; s < c.sources.size(); ++s)
      reads.push_back(std::async(std::launch::async, [&c, &m, &ports, &sc = c.sources[s], &names, &placement, s] {
        return read_source(c, m.session_names, ports, sc, names, placement, s);
      }));
  } catch (...) {  // a thread that could not start: the started ones must not wait for it
    for (std::size_t s = reads.size(); s < c.sources.size(); ++s) placement.leave(s);
    placement.abandon();
    throw;
  }
  placement.make_list();  // while the exports are read
  std::vector<SourceRead> done;
  for (auto& f : reads) done.push_back(f.get());
  for (auto& read : done) {
    errors->insert(errors->end(), read.errors.begin(), read.errors.end());
    const std::size_t offset = m.warnings.size();
    for (auto& w : read.warnings) m.warnings.push_back(std::move(w));
    for (auto& n : read.value_notes) {
      n.warning += offset;
      m.value_notes.push_back(std::move(n));
    }
    if (read.data) m.sources.push_back(std::move(*read.data));
  }
  m.registrants = placement.take();
}

}  // namespace marquee::pipeline
