#include "adapters/formats/mapping.hpp"

#include "adapters/formats/toml_file.hpp"

#include <sstream>

#include "core/spreadsheet_cell.hpp"

#include <toml.hpp>

#include <algorithm>

#include "core/text.hpp"

namespace marquee {

const std::vector<std::string>& transformer_names() {
  static const std::vector<std::string> names = {"trim", "collapse_whitespace", "nfc", "title_case", "lower", "url"};
  return names;
}

namespace {

// "unknown event field 'NAME' (fields: key, title, …)", for the TOML loader and RecordMapper alike.
std::string unknown_field(const std::string& name) {
  return "unknown event field '" + name + "' (fields: " + join(import_fields(), ", ") + ")";
}

std::vector<std::string> string_or_list(const toml::value& v, const std::string& what) {
  if (v.is_string()) return {v.as_string().str};
  if (v.is_array()) {
    std::vector<std::string> out;
    for (const auto& item : v.as_array()) {
      if (!item.is_string()) throw MappingError(toml::format_error("[error] " + what + ": expected strings", item, "here"));
      out.push_back(item.as_string().str);
    }
    return out;
  }
  throw MappingError(toml::format_error("[error] " + what + ": expected a string or a list of strings", v, "here"));
}

std::string apply_transform(const std::string& name, const std::string& value, const Mapping& m, bool* ok) {
  *ok = true;
  if (name == "trim") return trim(value);
  if (name == "collapse_whitespace") return collapse_whitespace(value);
  if (name == "nfc") return nfc(value);
  if (name == "title_case") return title_case(value);
  if (name == "lower") return search_fold(value);
  if (name == "url") return normalize_url(value);
  if (name.starts_with("value_map:")) {
    const auto& vm = m.value_maps.at(name.substr(10));
    auto it = vm.find(search_fold(trim(value)));
    return it == vm.end() ? value : it->second;
  }
  *ok = false;
  return value;
}

}  // namespace

Mapping default_mapping() {
  Mapping m;
  for (const auto& f : import_fields()) m.columns[f] = {f};
  m.implicit_columns = true;
  m.spreadsheet_cells = true;
  return m;
}

namespace {
Mapping mapping_from(const toml::value& root, const std::string& path);
}  // namespace

Mapping load_mapping(const std::string& path) {
  toml::value root;
  try {
    root = parse_toml_file(path);
  } catch (const std::exception& e) {
    throw MappingError(std::string("mapping ") + e.what());
  }
  return mapping_from(root, path);
}

Mapping load_mapping_text(const std::string& text, const std::string& name) {
  toml::value root;
  try {
    root = parse_toml_text(text, name);
  } catch (const std::exception& e) {
    throw MappingError(std::string("mapping ") + e.what());
  }
  return mapping_from(root, name);
}

namespace {
Mapping mapping_from(const toml::value& root, const std::string& path) {
  Mapping m;
  try {
    // A misspelt table ("[colums]") is named as what it is, not reported
    // later as a missing [columns] table.
    if (root.is_table())
      for (const auto& [name, v] : root.as_table())
        if (name != "source" && name != "columns" && name != "defaults" && name != "transforms" && name != "value_maps")
          throw MappingError(toml::format_error("[error] unknown table or key '" + name +
                                                    "' (known: [source], [columns], [defaults], [transforms], [value_maps])",
                                                v, "here"));
    if (root.contains("source")) {
      const auto& src = toml::find(root, "source");
      const std::string delim = toml::find_or<std::string>(src, "delimiter", ",");
      if (delim == "\\t" || delim == "\t") m.delimiter = '\t';
      else if (delim.size() == 1) m.delimiter = delim[0];
      else throw MappingError(toml::format_error("[error] delimiter must be one character", src.at("delimiter"), "here"));
      m.encoding = ascii_lower(toml::find_or<std::string>(src, "encoding", "utf-8"));
      if (m.encoding == "iso-8859-1" || m.encoding == "latin1") m.encoding = "latin-1";
      if (m.encoding != "utf-8" && m.encoding != "latin-1")
        throw MappingError(toml::format_error("[error] encoding must be \"utf-8\" or \"latin-1\"", src.at("encoding"), "here"));
      m.time_zone = toml::find_or<std::string>(src, "time_zone", "");
      const std::string order = toml::find_or<std::string>(src, "date_order", "dmy");
      if (order == "dmy") m.date_order = DateOrder::dmy;
      else if (order == "mdy") m.date_order = DateOrder::mdy;
      else if (order == "ymd") m.date_order = DateOrder::ymd;
      else throw MappingError(toml::format_error("[error] date_order must be dmy, mdy or ymd", src.at("date_order"), "here"));
      m.key_namespace = toml::find_or<std::string>(src, "key_namespace", "");
      if (src.contains("record_id")) m.record_id = string_or_list(src.at("record_id"), "record_id");
    }
    if (root.contains("value_maps")) {
      for (const auto& [name, table] : toml::find(root, "value_maps").as_table()) {
        auto& vm = m.value_maps[name];
        for (const auto& [from, to] : table.as_table()) {
          if (!to.is_string()) throw MappingError(toml::format_error("[error] value map entries are strings", to, "here"));
          vm[search_fold(trim(from))] = to.as_string().str;
        }
      }
    }
    auto check_field = [&](const std::string& field, const toml::value& where) {
      if (!import_field(field)) throw MappingError(toml::format_error("[error] " + unknown_field(field), where, "here"));
    };
    if (root.contains("columns")) {
      for (const auto& [field, v] : toml::find(root, "columns").as_table()) {
        check_field(field, v);
        m.columns[field] = string_or_list(v, "columns." + field);
      }
    }
    if (root.contains("defaults")) {
      for (const auto& [field, v] : toml::find(root, "defaults").as_table()) {
        check_field(field, v);
        if (v.is_string()) m.defaults[field] = v.as_string().str;
        else if (v.is_integer()) m.defaults[field] = std::to_string(v.as_integer());
        else if (v.is_boolean()) m.defaults[field] = v.as_boolean() ? "true" : "false";
        else throw MappingError(toml::format_error("[error] a default is a string, integer or boolean", v, "here"));
      }
    }
    if (root.contains("transforms")) {
      for (const auto& [field, v] : toml::find(root, "transforms").as_table()) {
        check_field(field, v);
        auto names = string_or_list(v, "transforms." + field);
        for (const auto& n : names) {
          const auto& known = transformer_names();
          const bool ok = std::find(known.begin(), known.end(), n) != known.end() ||
                          (n.starts_with("value_map:") && m.value_maps.count(n.substr(10)));
          if (!ok)
            throw MappingError(toml::format_error("[error] unknown transformer '" + n + "' (known: " +
                                                      join(known, ", ") + ", value_map:NAME with a [value_maps.NAME] table)",
                                                  v, "here"));
        }
        m.transforms[field] = std::move(names);
      }
    }
  } catch (const MappingError&) {
    throw;
  } catch (const std::exception& e) {
    throw MappingError(std::string("mapping ") + path + ": " + e.what());
  }
  if (m.columns.empty()) throw MappingError("mapping " + path + ": no [columns] table: map at least title and starts_at");
  return m;
}
}  // namespace

RecordMapper::RecordMapper(std::vector<std::string> header, const Mapping& m, std::size_t max_field_bytes)
    : m_(m), header_(std::move(header)), max_field_bytes_(max_field_bytes) {
  std::map<std::string, std::size_t> header_index;
  for (std::size_t i = 0; i < header_.size(); ++i) header_index.emplace(search_fold(trim(header_[i])), i);
  auto column = [&](const std::string& name) -> std::optional<std::size_t> {
    auto it = header_index.find(search_fold(trim(name)));
    if (it == header_index.end()) return std::nullopt;
    return it->second;
  };
  const bool implicit = m.implicit_columns;

  // Resolve every mapped column once; a missing one is fatal for explicit mappings.
  for (const auto& mapped : m.columns) {
    const std::string& name = mapped.first;  // a plain reference: clang 14 lambdas cannot capture structured bindings
    const auto field = import_field(name);
    if (!field) {
      fatal_ = unknown_field(name);
      return;
    }
    for (const auto& c : mapped.second) {
      auto idx = column(c);
      if (idx) {
        auto r = std::find_if(resolved_.begin(), resolved_.end(), [&](const auto& x) { return x.field == *field; });
        if (r == resolved_.end()) {
          ResolvedField added{*field, {*idx}};
          if (auto vm = m.value_maps.find(name); vm != m.value_maps.end()) added.value_map = &vm->second;
          if (auto tr = m.transforms.find(name); tr != m.transforms.end()) added.transforms = &tr->second;
          resolved_.push_back(std::move(added));
        } else {
          r->columns.push_back(*idx);
        }
      } else if (!implicit) {
        fatal_ = "missing required column '" + c + "' (mapped to " + name + "); the header has: " + join(header_, ", ");
        return;
      }
    }
  }
  for (const auto& [name, value] : m.defaults) {
    const auto field = import_field(name);
    if (!field) {
      fatal_ = unknown_field(name);
      return;
    }
    defaults_.emplace_back(*field, value);
  }
  const auto has = [&](ImportField field) {
    return std::any_of(resolved_.begin(), resolved_.end(), [&](const auto& x) { return x.field == field; });
  };
  for (const auto& c : m.record_id) {
    auto idx = column(c);
    if (!idx) {
      fatal_ = "missing record_id column '" + c + "'; the header has: " + join(header_, ", ");
      return;
    }
    id_columns_.push_back(*idx);
  }
  const bool has_start = has(ImportField::starts_at) || has(ImportField::start_date) || m.defaults.count("starts_at");
  if (!has(ImportField::title) && !m.defaults.count("title")) {
    fatal_ = "missing required column 'title'" + std::string(implicit ? "" : " (map one in [columns])") +
             "; the header has: " + join(header_, ", ");
    return;
  }
  if (!has_start)
    fatal_ = "missing required column 'starts_at' (or 'start_date'); the header has: " + join(header_, ", ");
  std::vector<int> uses(header_.size(), 0);
  for (const auto& r : resolved_)
    for (auto idx : r.columns) ++uses[idx];
  for (auto idx : id_columns_) ++uses[idx];
  for (auto& r : resolved_) r.moved = r.columns.size() == 1 && uses[r.columns[0]] == 1;
}

std::optional<SourceRecord> RecordMapper::map(CsvRecord&& rec, std::vector<RowIssue>* issues) const {
  const Mapping& m = m_;
  if (rec.fields.size() == 1 && trimmed(rec.fields[0]).empty()) return std::nullopt;  // blank line
  bool bad = false;
  auto error = [&](std::string field, std::string message) {
    issues->push_back(RowIssue{rec.line, std::move(field), std::move(message), Severity::error, ""});
    bad = true;
  };
  if (rec.fields.size() != header_.size())
    error("", "has " + std::to_string(rec.fields.size()) + " fields, the header has " + std::to_string(header_.size()));
  std::vector<std::string>& cells = rec.fields;
  for (std::size_t i = 0; i < cells.size() && !bad; ++i) {
    const auto name = [&] { return i < header_.size() ? header_[i] : "#" + std::to_string(i + 1); };
    if (cells[i].size() > max_field_bytes_)
      error(name(), "field is " + std::to_string(cells[i].size()) + " bytes, over the limit of " +
                        std::to_string(max_field_bytes_));
    else if (m.encoding == "latin-1")
      cells[i] = latin1_to_utf8(cells[i]);
    else if (!valid_utf8(cells[i]))
      error(name(), "not valid UTF-8 (if the file is Latin-1, set encoding = \"latin-1\" in [source] of the mapping)");
    if (m.spreadsheet_cells) unprefix_spreadsheet_cell(cells[i]);
  }
  if (bad) return std::nullopt;

  SourceRecord sr;
  sr.line = rec.line;
  for (const auto& [field, value] : defaults_) sr.values[field] = value;
  for (const auto& r : resolved_) {
    std::string value;
    int parts = 0;
    for (auto idx : r.columns) {
      if (idx >= cells.size() || trimmed(cells[idx]).empty()) continue;
      if (parts++) value += r.field == ImportField::description ? "\n\n" : ", ";
      if (r.moved) value = std::move(cells[idx]);  // the record's own cell, used once
      else value += cells[idx];
    }
    if (!parts) continue;
    if (r.value_map) {
      auto hit = r.value_map->find(search_fold(trim(value)));
      if (hit != r.value_map->end()) value = hit->second;
    }
    if (r.transforms) {
      for (const auto& name : *r.transforms) {
        bool ok = true;
        value = apply_transform(name, value, m, &ok);
      }
    }
    sr.values[r.field] = std::move(value);
  }
  for (auto idx : id_columns_) sr.record_id += (sr.record_id.empty() ? "" : "\x1f") + cells[idx];
  return sr;
}

std::vector<SourceRecord> apply_mapping(const CsvTable& table, const Mapping& m, std::size_t max_field_bytes,
                                        std::vector<RowIssue>* issues, std::string* fatal) {
  RecordMapper mapper(table.header, m, max_field_bytes);
  if (!mapper.fatal().empty()) {
    *fatal = mapper.fatal();
    return {};
  }
  std::vector<SourceRecord> out;
  out.reserve(table.records.size());
  for (const auto& rec : table.records)
    if (auto sr = mapper.map(CsvRecord(rec), issues)) out.push_back(std::move(*sr));
  return out;
}

}  // namespace marquee
