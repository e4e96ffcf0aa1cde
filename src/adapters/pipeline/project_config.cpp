#include "adapters/pipeline/project_config.hpp"

#include "adapters/formats/toml_file.hpp"

#include <algorithm>
#include <set>

#include <toml.hpp>

#include "core/datetime_text.hpp"
#include "core/text.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

/// Error helpers: every message is "<relative file>:<line>: <text>".
struct File {
  std::string rel;  // "config/pipeline.toml"
  toml::value root;

  /// The 1-based line where `v` starts: what `v.location().line()` gives,
  /// which in toml11 3.7 counts the newlines from the file's start on every
  /// call (a file of 1,000 [[patch]] tables read 1,000 times over). Counted
  /// on from the line found last when `v` comes after it (values asked in
  /// file order: once through the file).
  std::int64_t line_of(const toml::value& v) {
    const auto* r = dynamic_cast<const toml::detail::region*>(toml::detail::get_region(v));
    if (!r || !r->source()) return v.location().line();
    const char* at = r->source()->data() + (r->first() - r->begin());
    if (r->source().get() != line_source_ || at < line_at_) {
      line_source_ = r->source().get();
      line_at_ = line_source_->data();
      line_ = 1;
    }
    line_ += std::count(line_at_, at, '\n');
    line_at_ = at;
    return line_;
  }
  const std::vector<char>* line_source_ = nullptr;
  const char* line_at_ = nullptr;
  std::int64_t line_ = 1;

  [[noreturn]] void fail(const toml::value& at, const std::string& msg) const {
    throw ConfigError(rel + ":" + std::to_string(at.location().line()) + ": " + msg);
  }
  [[noreturn]] void fail_line(std::int64_t line, const std::string& msg) const {
    throw ConfigError(rel + ":" + std::to_string(line) + ": " + msg);
  }
  std::string str(const toml::value& table, const std::string& key, const std::string& fallback = {}) const {
    if (!table.contains(key)) return fallback;
    const auto& v = table.at(key);
    if (!v.is_string()) fail(v, key + " must be a string");
    return v.as_string().str;
  }
  std::string required(const toml::value& table, const std::string& key, const std::string& what) const {
    if (!table.contains(key)) fail(table, what + " needs " + key);
    std::string s = trim(str(table, key));
    if (s.empty()) fail(table.at(key), key + " must not be empty");
    return s;
  }
  std::vector<std::string> strings(const toml::value& table, const std::string& key) const {
    if (!table.contains(key)) return {};
    const auto& v = table.at(key);
    if (v.is_string()) return {v.as_string().str};
    if (!v.is_array()) fail(v, key + " must be a string or a list of strings");
    std::vector<std::string> out;
    for (const auto& item : v.as_array()) {
      if (!item.is_string()) fail(item, key + " must list strings");
      out.push_back(item.as_string().str);
    }
    return out;
  }
  std::optional<std::int64_t> integer(const toml::value& table, const std::string& key) const {
    if (!table.contains(key)) return std::nullopt;
    const auto& v = table.at(key);
    if (!v.is_integer()) fail(v, key + " must be an integer");
    return v.as_integer();
  }
  std::optional<bool> boolean(const toml::value& table, const std::string& key) const {
    if (!table.contains(key)) return std::nullopt;
    const auto& v = table.at(key);
    if (!v.is_boolean()) fail(v, key + " must be true or false");
    return v.as_boolean();
  }
  const toml::array* tables(const std::string& key) const {
    if (!root.contains(key)) return nullptr;
    const auto& v = root.at(key);
    if (!v.is_array()) fail(v, key + " must be an array of tables: write [[" + key + "]]");
    for (const auto& t : v.as_array())
      if (!t.is_table()) fail(t, "each " + key + " must be a table: write [[" + key + "]]");
    return &v.as_array();
  }
  void only_keys(const toml::value& table, const std::set<std::string>& known, const std::string& what) const {
    for (const auto& [k, v] : table.as_table())
      if (!known.contains(k)) {
        std::vector<std::string> names(known.begin(), known.end());
        fail(v, "unknown key \"" + k + "\" in " + what + " (known: " + join(names, ", ") + ")");
      }
  }
};

File open_file(const fs::path& dir, const std::string& rel, bool required) {
  File f{rel, toml::value(toml::table{})};
  const fs::path path = dir / rel;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (required) throw ConfigError(rel + ": missing (run `marquee pipeline init` to create it)");
    return f;
  }
  try {
    f.root = parse_toml_file(path.string());
  } catch (const toml::exception& e) {
    std::string what = e.what();
    if (auto nl = what.find('\n'); nl != std::string::npos) what = what.substr(0, nl);
    if (what.starts_with("[error] ")) what = what.substr(8);
    throw ConfigError(rel + ":" + std::to_string(e.location().line()) + ": TOML syntax error: " + what);
  } catch (const std::exception& e) {
    throw ConfigError(rel + ": cannot be read: " + e.what());
  }
  return f;
}

// Plain character checks rather than std::regex: a pipeline build reads its
// settings and its patches on two threads, and two std::regex compiled at
// once write libstdc++'s shared ctype<char>::narrow cache together (a data
// race ThreadSanitizer reports).
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

/// A source's or a field's name: one or more of a-z, 0-9, '_' and '-'.
bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || ascii_digit(c) || c == '_' || c == '-'; });
}

/// YYYY-MM-DD (ISO 8601 calendar date, ASCII digits), a date that exists.
bool iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!ascii_digit(s[i])) return false;
  return valid_date(std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2)));
}

std::string project_path(const File& f, const toml::value& at, const std::string& path, const std::string& folder) {
  if (!path.starts_with(folder + "/") || path.find("..") != std::string::npos)
    f.fail(at, "\"" + path + "\" must be a file under " + folder + "/");
  return path;
}

void read_pipeline(const fs::path& dir, ProjectConfig& c) {
  File f = open_file(dir, "config/pipeline.toml", true);
  if (f.root.contains("project")) {
    const auto& p = f.root.at("project");
    f.only_keys(p, {"title", "time_zone", "privacy_threshold", "default_phone_country", "privacy_min_chars", "privacy_allow"},
                "[project]");
    c.title = f.str(p, "title", c.title);
    c.time_zone = f.str(p, "time_zone", c.time_zone);
    if (auto t = f.integer(p, "privacy_threshold")) {
      if (*t < 1) f.fail(p.at("privacy_threshold"), "privacy_threshold must be at least 1");
      c.privacy_threshold = *t;
    }
    if (auto m = f.integer(p, "privacy_min_chars")) c.privacy_min_chars = static_cast<std::size_t>(std::max<std::int64_t>(1, *m));
    c.privacy_allow = f.strings(p, "privacy_allow");
    c.default_phone_country = f.str(p, "default_phone_country");
    if (c.default_phone_country.size() > 3 || !std::all_of(c.default_phone_country.begin(), c.default_phone_country.end(), ascii_digit))
      f.fail(p.at("default_phone_country"), "default_phone_country is a country calling code of 1 to 3 digits, e.g. \"49\" (\"\" for none)");
  }
  if (!f.root.contains("programme")) f.fail_line(1, "needs a [programme] table with file = \"program/…\"");
  const auto& prog = f.root.at("programme");
  f.only_keys(prog, {"file", "format"}, "[programme]");
  c.programme_file = project_path(f, prog, f.required(prog, "file", "[programme]"), "program");
  c.programme_format = f.str(prog, "format", c.programme_file.ends_with(".xml") ? "frab" : "csv");
  if (c.programme_format != "csv" && c.programme_format != "frab")
    f.fail(prog.at("format"), "format must be \"csv\" or \"frab\"");
  const auto* sources = f.tables("sources");
  if (!sources || sources->empty()) f.fail_line(1, "no [[sources]]: add one per raw export");
  std::set<std::string> names;
  for (const auto& s : *sources) {
    f.only_keys(s, {"name", "file", "format", "time_zone"}, "[[sources]]");
    SourceConfig sc;
    sc.line = f.line_of(s);
    sc.name = f.required(s, "name", "[[sources]]");
    if (!valid_name(sc.name)) f.fail(s.at("name"), "a source name uses a-z, 0-9, '_' and '-' only");
    if (!names.insert(sc.name).second) f.fail(s.at("name"), "two sources are named \"" + sc.name + "\"");
    sc.file = project_path(f, s, f.required(s, "file", "[[sources]]"), "raw");
    sc.format = f.required(s, "format", "[[sources]]");
    sc.time_zone = f.str(s, "time_zone");
    c.sources.push_back(sc);
  }
  if (f.root.contains("outputs")) {
    const auto& o = f.root.at("outputs");
    f.only_keys(o, {"private", "public"}, "[outputs]");
    auto pick = [&](const std::string& key, const std::vector<std::string>& known, std::vector<std::string>& into) {
      if (!o.contains(key)) {
        into = known;
        return;
      }
      into = f.strings(o, key);
      for (const auto& name : into)
        if (std::find(known.begin(), known.end(), name) == known.end())
          f.fail(o.at(key), "unknown " + key + " output \"" + name + "\" (known: " + join(known, ", ") + ")");
    };
    pick("private", all_private_outputs(), c.private_outputs);
    pick("public", all_public_outputs(), c.public_outputs);
  } else {
    c.private_outputs = all_private_outputs();
    c.public_outputs = all_public_outputs();
  }
}

void read_mappings(const fs::path& dir, ProjectConfig& c) {
  File f = open_file(dir, "config/mappings.toml", true);
  if (!f.root.contains("fields") || !f.root.at("fields").is_table())
    f.fail_line(1, "needs a [fields] table declaring the registrant fields");
  std::vector<std::pair<std::int64_t, std::string>> order;
  for (const auto& [name, spec] : f.root.at("fields").as_table()) {
    if (!spec.is_table()) f.fail(spec, "field " + name + " is a table, e.g. { kind = \"text\" }");
    f.only_keys(spec, {"kind", "personal", "summary", "value_map", "label"}, "field " + name);
    if (!valid_name(name)) f.fail(spec, "a field name uses a-z, 0-9, '_' and '-' only");
    FieldSpec fs;
    fs.name = name;
    const std::string kind = f.str(spec, "kind", "text");
    auto k = parse_field_kind(kind);
    if (!k) f.fail(spec, "unknown kind \"" + kind + "\" for field " + name +
                             " (text, name, email, phone, yes_no, choice, list, datetime, sessions, status)");
    fs.kind = *k;
    fs.personal = f.boolean(spec, "personal").value_or(fs.kind == FieldKind::name || fs.kind == FieldKind::email ||
                                                       fs.kind == FieldKind::phone);
    fs.summary = f.boolean(spec, "summary").value_or(false);
    if (fs.summary && fs.personal) f.fail(spec, "field " + name + " cannot be both personal and summary");
    if (fs.summary && (fs.kind == FieldKind::text || fs.kind == FieldKind::datetime))
      f.fail(spec, "field " + name + ": only choice, list, yes_no and status fields can be summary fields");
    fs.value_map = f.str(spec, "value_map");
    fs.label = f.str(spec, "label", name);
    c.fields[name] = fs;
    order.emplace_back(f.line_of(spec), name);
  }
  std::sort(order.begin(), order.end());
  for (auto& [line, name] : order) c.field_order.push_back(name);
  if (f.root.contains("value_maps")) {
    for (const auto& [name, table] : f.root.at("value_maps").as_table()) {
      if (!table.is_table()) f.fail(table, "value map " + name + " is a table of \"answer\" = \"value\"");
      ValueMap vm;
      for (const auto& [from, to] : table.as_table()) {
        if (!to.is_string()) f.fail(to, "value map entries are strings");
        if (from == "*") vm.fallback = to.as_string().str;
        else vm.entries[fold_key(from)] = to.as_string().str;
      }
      c.value_maps[name] = vm;
    }
  }
  for (const auto& [name, spec] : c.fields)
    if (!spec.value_map.empty() && !c.value_maps.contains(spec.value_map))
      f.fail(f.root.at("fields").at(name), "field " + name + " names value map \"" + spec.value_map +
                                                "\" but there is no [value_maps." + spec.value_map + "]");
  if (!f.root.contains("formats")) f.fail_line(1, "needs a [formats.NAME] table per export layout");
  for (const auto& [name, t] : f.root.at("formats").as_table()) {
    if (!t.is_table()) f.fail(t, "format " + name + " is a table");
    f.only_keys(t, {"delimiter", "encoding", "date_order", "record_id", "columns", "personal_columns"}, "[formats." + name + "]");
    FormatMapping m;
    m.name = name;
    m.line = f.line_of(t);
    const std::string delim = f.str(t, "delimiter", ",");
    if (delim.size() != 1) f.fail(t.at("delimiter"), "delimiter must be one character");
    m.delimiter = delim[0];
    m.encoding = ascii_lower(f.str(t, "encoding", "utf-8"));
    if (m.encoding == "latin1" || m.encoding == "iso-8859-1") m.encoding = "latin-1";
    if (m.encoding != "utf-8" && m.encoding != "latin-1") f.fail(t.at("encoding"), "encoding must be \"utf-8\" or \"latin-1\"");
    const std::string order_text = f.str(t, "date_order", "dmy");
    if (order_text == "dmy") m.date_order = DateOrder::dmy;
    else if (order_text == "mdy") m.date_order = DateOrder::mdy;
    else if (order_text == "ymd") m.date_order = DateOrder::ymd;
    else f.fail(t.at("date_order"), "date_order must be dmy, mdy or ymd");
    m.record_id = f.strings(t, "record_id");
    if (m.record_id.empty()) f.fail(t, "[formats." + name + "] needs record_id: the columns that identify a row");
    m.personal_columns = f.strings(t, "personal_columns");
    if (!t.contains("columns") || !t.at("columns").is_table()) f.fail(t, "[formats." + name + ".columns] is missing");
    for (const auto& [field, cols] : t.at("columns").as_table()) {
      if (!c.fields.contains(field)) f.fail(cols, "unknown field \"" + field + "\": declare it under [fields]");
      m.columns[field] = f.strings(t.at("columns"), field);
    }
    c.formats[name] = m;
  }
  for (const auto& s : c.sources)
    if (!c.formats.contains(s.format))
      throw ConfigError("config/pipeline.toml:" + std::to_string(s.line) + ": source " + s.name + " uses format \"" +
                        s.format + "\" but config/mappings.toml has no [formats." + s.format + "]");
}

void read_rules(const fs::path& dir, ProjectConfig& c) {
  File f = open_file(dir, "config/schedule-rules.toml", false);
  if (f.root.contains("lock")) {
    const auto& l = f.root.at("lock");
    f.only_keys(l, {"date"}, "[lock]");
    c.lock_date = f.str(l, "date");
    if (!c.lock_date.empty() && !iso_date(c.lock_date)) f.fail(l.at("date"), "date must be YYYY-MM-DD");
  }
  if (f.root.contains("capacity")) {
    const auto& cap = f.root.at("capacity");
    f.only_keys(cap, {"default", "sessions"}, "[capacity]");
    c.default_capacity = f.integer(cap, "default");
    if (cap.contains("sessions"))
      for (const auto& [key, v] : cap.at("sessions").as_table()) {
        if (!v.is_integer() || v.as_integer() < 0) f.fail(v, "capacity of " + key + " must be a whole number >= 0");
        c.capacities[key] = v.as_integer();
      }
  }
  if (const auto* rules = f.tables("assign")) {
    for (const auto& r : *rules) {
      f.only_keys(r, {"when", "sessions"}, "[[assign]]");
      AssignRule rule;
      rule.file = f.rel;
      rule.line = f.line_of(r);
      if (!r.contains("when") || !r.at("when").is_table()) f.fail(r, "[[assign]] needs when = { field = \"value\" }");
      for (const auto& [field, v] : r.at("when").as_table()) {
        if (!c.fields.contains(field)) f.fail(v, "unknown field \"" + field + "\" in when");
        if (!v.is_string()) f.fail(v, "when values are strings");
        rule.when.emplace_back(field, v.as_string().str);
      }
      std::sort(rule.when.begin(), rule.when.end());
      rule.sessions = f.strings(r, "sessions");
      if (rule.sessions.empty()) f.fail(r, "[[assign]] needs sessions = [\"session-key\", …]");
      c.assign_rules.push_back(rule);
    }
  }
}

void read_overrides(const fs::path& dir, ProjectConfig& c) {
  File f = open_file(dir, "config/overrides.toml", false);
  const auto* list = f.tables("override");
  if (!list) return;
  for (const auto& t : *list) {
    f.only_keys(t, {"session", "room", "venue", "starts_at", "ends_at", "cancelled", "added", "reason", "author", "date"},
                "[[override]]");
    Override o;
    o.file = f.rel;
    o.line = f.line_of(t);
    o.session = f.required(t, "session", "[[override]]");
    if (t.contains("room")) o.room = trim(f.str(t, "room"));
    if (t.contains("venue")) o.venue = trim(f.str(t, "venue"));
    o.starts_at_text = f.str(t, "starts_at");
    o.ends_at_text = f.str(t, "ends_at");
    o.cancelled = f.boolean(t, "cancelled");
    o.added = f.boolean(t, "added").value_or(false);
    o.reason = f.required(t, "reason", "[[override]]");
    o.author = f.required(t, "author", "[[override]]");
    o.date = f.required(t, "date", "[[override]]");
    if (!iso_date(o.date)) f.fail(t.at("date"), "date must be YYYY-MM-DD");
    if (!o.room && !o.venue && o.starts_at_text.empty() && o.ends_at_text.empty() && !o.cancelled && !o.added)
      f.fail(t, "the override changes nothing: set room, venue, starts_at, ends_at, cancelled or added");
    c.overrides.push_back(o);
  }
}

}  // namespace

ProjectConfig load_settings(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ConfigError(dir.string() + ": not a directory");
  ProjectConfig c;
  c.dir = dir;
  read_pipeline(dir, c);
  read_mappings(dir, c);
  read_rules(dir, c);
  read_overrides(dir, c);
  return c;
}

std::vector<Patch> load_patches(const fs::path& dir) {
  std::vector<Patch> patches;
  const fs::path folder = dir / "config/patches";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return patches;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  for (const auto& name : files) {
    File f = open_file(dir, "config/patches/" + name, true);
    const auto* list = f.tables("patch");
    if (!list) continue;
    for (const auto& t : *list) {
      f.only_keys(t, {"record", "match", "source", "field", "old", "new", "reason", "author", "date"}, "[[patch]]");
      Patch p;
      p.file = f.rel;
      p.line = f.line_of(t);
      p.record = trim(f.str(t, "record"));
      p.match_source = f.str(t, "source");
      if (t.contains("match")) {
        if (!t.at("match").is_table()) f.fail(t.at("match"), "match is a table: match = { \"Column\" = \"value\" }");
        for (const auto& [column, v] : t.at("match").as_table()) {
          if (!v.is_string()) f.fail(v, "match values are strings");
          p.match.emplace_back(column, v.as_string().str);
        }
        std::sort(p.match.begin(), p.match.end());
      }
      if (p.record.empty() == p.match.empty())
        f.fail(t, "a patch names its record either by key (record = \"r-…\") or by match = { … }, not both or neither");
      p.field = f.required(t, "field", "[[patch]]");
      if (!t.contains("old")) f.fail(t, "[[patch]] needs old: the value expected before the correction (\"\" for empty)");
      if (!t.contains("new")) f.fail(t, "[[patch]] needs new: the corrected value");
      p.old_value = f.str(t, "old");
      p.new_value = f.str(t, "new");
      p.reason = f.required(t, "reason", "[[patch]]");
      p.author = f.required(t, "author", "[[patch]]");
      p.date = f.required(t, "date", "[[patch]]");
      if (!iso_date(p.date)) f.fail(t.at("date"), "date must be YYYY-MM-DD");
      patches.push_back(p);
    }
  }
  return patches;
}

}  // namespace marquee::pipeline
