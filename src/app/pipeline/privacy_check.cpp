// The privacy guard over a build's public files.
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
  for (const auto& r : m.registrants) {
    const SourceData& src = m.sources[r.source_index];
    const FormatMapping& fmt = c.formats.at(src.config.format);
    const auto& row = src.table.records[r.row_index].fields;
    const std::string at = " of " + r.key + " (" + r.file + " line " + std::to_string(r.line) + ")";
    for (const auto& [field, spec] : c.fields) {
      if (!spec.personal) continue;
      const std::string origin = "the " + field + at;
      values.add(r.value(field), origin);
      auto cols = fmt.columns.find(field);
      if (cols == fmt.columns.end()) continue;
      std::vector<std::string> parts;
      for (const auto& col : cols->second) {
        const std::string& cell = row[*src.column(col)];
        values.add(cell, origin);
        parts.push_back(trim(cell));
      }
      values.add(join(parts, " "), origin);
    }
    for (const auto& col : fmt.personal_columns) values.add(row[*src.column(col)], "the column \"" + col + "\"" + at);
  }
  for (const auto& a : m.patches) {
    if (!c.fields.at(a.patch->field).personal) continue;
    values.add(a.patch->old_value, "the old value of the patch at " + a.patch->where());
    values.add(a.patch->new_value, "the new value of the patch at " + a.patch->where());
  }
  std::vector<std::string> findings;
  for (const auto& [path, bytes] : files) {
    if (!path.starts_with("public/")) continue;
    for (const auto& origin : values.find_in(readable_text(path, bytes)))
      findings.push_back(path + " contains " + origin);
  }
  return findings;
}

}  // namespace marquee::pipeline
