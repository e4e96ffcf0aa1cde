// The privacy guard over a build's public files.
#include <algorithm>
#include <cstdint>

#include <boost/json.hpp>

#include "app/pipeline/build_outputs.hpp"
#include "core/pipeline/privacy_guard.hpp"
#include "core/text.hpp"

namespace json = boost::json;

namespace marquee::pipeline {
namespace {

void strings_of(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::string:
      out.append(v.get_string().data(), v.get_string().size());
      out += '\n';
      break;
    case json::kind::array:
      for (const auto& item : v.get_array()) strings_of(item, out);
      break;
    case json::kind::object:
      for (const auto& [k, item] : v.get_object()) {
        out.append(k.data(), k.size());
        out += '\n';
        strings_of(item, out);
      }
      break;
    default: break;
  }
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
  else if (cp < 0x10000)
    out += static_cast<char>(0xE0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
        out += static_cast<char>(0x80 | (cp & 0x3F));
  else if (cp < 0x110000)
    out += static_cast<char>(0xF0 | (cp >> 18)), out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), out += static_cast<char>(0x80 | (cp & 0x3F));
}

/// The text a reader sees: tags become spaces, character references are decoded.
std::string html_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char ch = html[i];
    if (ch == '<') {
      const auto close = html.find('>', i);
      if (close == std::string_view::npos) break;
      // Attribute values (title=, alt=, data-*) are visible to anyone reading the source.
      out += ' ';
      out.append(html.substr(i + 1, close - i - 1));
      out += ' ';
      i = close;
    } else if (ch == '&') {
      const auto semi = html.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        out += ch;
        continue;
      }
      const std::string_view ref = html.substr(i + 1, semi - i - 1);
      static const std::pair<std::string_view, std::string_view> named[] = {
          {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
      bool done = false;
      for (const auto& [name, text] : named)
        if (ref == name) out.append(text), done = true;
      if (!done && ref.size() > 1 && ref[0] == '#') {
        const bool hex = ref[1] == 'x' || ref[1] == 'X';
        try {
          append_utf8(out, std::stoul(std::string(ref.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
          done = true;
        } catch (...) {
        }
      }
      if (!done) out.append(html.substr(i, semi - i + 1));
      i = semi;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string readable_text(const std::string& path, const std::string& bytes) {
  if (path.ends_with(".json")) {
    boost::system::error_code ec;
    const json::value v = json::parse(bytes, ec);
    if (ec) return bytes;
    std::string out;
    strings_of(v, out);
    return out;
  }
  if (path.ends_with(".html") || path.ends_with(".htm") || path.ends_with(".svg") || path.ends_with(".xml"))
    return html_text(bytes);
  return bytes;
}

}  // namespace

std::vector<std::string> privacy_findings(const BuildModel& m, const OutputFiles& files) {
  const ProjectConfig& c = m.config;
  PersonalValues values(c.privacy_min_chars);
  for (const auto& a : c.privacy_allow) values.allow(a);
  // Where each value came from, kept small; put into words only when found.
  struct Origin {
    enum Kind : std::uint8_t { field, column, patch_old, patch_new } kind;
    std::uint32_t index;     ///< registrant, or patch
    const std::string* name; ///< field or column name
  };
  std::vector<Origin> origins;
  auto origin_id = [&](Origin o) {
    origins.push_back(o);
    return static_cast<PersonalValues::Origin>(origins.size() - 1);
  };
  // Per source: the personal fields with their columns, and the personal columns.
  struct PersonalField {
    const std::string* field;
    RegistrantValues::Slot slot;
    std::vector<std::size_t> columns;
  };
  std::vector<std::vector<PersonalField>> fields_of(m.sources.size());
  std::vector<std::vector<std::pair<const std::string*, std::size_t>>> columns_of(m.sources.size());
  for (std::size_t s = 0; s < m.sources.size(); ++s) {
    const SourceData& src = m.sources[s];
    const FormatMapping& fmt = c.formats.at(src.config.format);
    for (const auto& [field, spec] : c.fields) {
      if (!spec.personal) continue;
      PersonalField pf{&field, RegistrantValues::slot(m.field_names, field), {}};
      if (auto cols = fmt.columns.find(field); cols != fmt.columns.end())
        for (const auto& col : cols->second) pf.columns.push_back(*src.column(col));
      fields_of[s].push_back(std::move(pf));
    }
    for (const auto& col : fmt.personal_columns) columns_of[s].emplace_back(&col, *src.column(col));
  }
  // Room for every origin and value up front: 50,000 registrants give about
  // 400,000 of each, regrown by doubling they were copied again and again
  // into new memory.
  std::size_t origin_count = 2 * m.patches.size(), value_count = 2 * m.patches.size();
  for (const auto& r : m.registrants) {
    origin_count += fields_of[r.source_index].size() + columns_of[r.source_index].size();
    value_count += columns_of[r.source_index].size();
    for (const auto& pf : fields_of[r.source_index]) value_count += 1 + pf.columns.size() + (pf.columns.size() > 1 ? 1 : 0);
  }
  origins.reserve(origin_count);
  values.reserve(value_count);
  std::string joined;
  for (std::size_t i = 0; i < m.registrants.size(); ++i) {
    const Registrant& r = m.registrants[i];
    const SourceData& src = m.sources[r.source_index];
    const auto index = static_cast<std::uint32_t>(i);
    for (const auto& pf : fields_of[r.source_index]) {
      const auto id = origin_id({Origin::field, index, pf.field});
      const std::string& value = r.value(pf.slot);
      values.add(value, id);
      if (pf.columns.empty()) continue;
      joined.clear();
      for (std::size_t k = 0; k < pf.columns.size(); ++k) {
        const std::string_view cell = src.rows.cell(r.row_index, pf.columns[k]);
        if (cell != value) values.add(cell, id);  // the same bytes are the same words
        if (k > 0) joined += ' ';
        joined += trim(cell);
      }
      if (pf.columns.size() > 1) values.add(joined, id);
    }
    for (const auto& [name, col] : columns_of[r.source_index])
      values.add(src.rows.cell(r.row_index, col), origin_id({Origin::column, index, name}));
  }
  for (std::size_t p = 0; p < m.patches.size(); ++p) {
    const auto& a = m.patches[p];
    if (!c.fields.at(a.patch->field).personal) continue;
    values.add(a.patch->old_value, origin_id({Origin::patch_old, static_cast<std::uint32_t>(p), nullptr}));
    values.add(a.patch->new_value, origin_id({Origin::patch_new, static_cast<std::uint32_t>(p), nullptr}));
  }
  auto describe = [&](const Origin& o) -> std::string {
    if (o.kind == Origin::patch_old) return "the old value of the patch at " + m.patches[o.index].patch->where();
    if (o.kind == Origin::patch_new) return "the new value of the patch at " + m.patches[o.index].patch->where();
    const Registrant& r = m.registrants[o.index];
    const std::string at = " of " + r.key + " (" + r.file + " line " + std::to_string(r.line) + ")";
    if (o.kind == Origin::field) return "the " + *o.name + at;
    return "the column \"" + *o.name + "\"" + at;
  };
  std::vector<std::string> findings;
  for (const auto& [path, bytes] : files) {
    if (!path.starts_with("public/")) continue;
    std::vector<std::string> seen;  // one finding per origin text, as a reader sees it
    for (const auto found : values.find_in(readable_text(path, bytes))) {
      std::string origin = describe(origins[found]);
      if (std::find(seen.begin(), seen.end(), origin) != seen.end()) continue;
      seen.push_back(origin);
      findings.push_back(path + " contains " + origin);
    }
  }
  return findings;
}

}  // namespace marquee::pipeline
