#include "adapters/http/prometheus_text.hpp"

#include <stdexcept>

namespace marquee {
namespace {

bool valid_name(const std::string& name, bool colon_allowed) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void append_escaped(std::string& out, const std::string& text, bool quote) {
  for (const char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
}

}  // namespace

std::string prometheus_text(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const auto& f : families) {
    if (!valid_name(f.name, true)) throw std::invalid_argument("invalid metric name '" + f.name + "'");
    out += "# HELP " + f.name + " ";
    append_escaped(out, f.help, false);
    out += "\n# TYPE " + f.name + " " + f.type + "\n";
    for (const auto& s : f.samples) {
      out += f.name;
      out += s.suffix;
      if (!s.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < s.labels.size(); ++i) {
          if (!valid_name(s.labels[i].first, false) || s.labels[i].first.starts_with("__"))
            throw std::invalid_argument("invalid label name '" + s.labels[i].first + "'");
          if (i > 0) out += ',';
          out += s.labels[i].first + "=\"";
          append_escaped(out, s.labels[i].second, true);
          out += '"';
        }
        out += '}';
      }
      out += ' ';
      out += metric_number(s.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace marquee
