#include "adapters/http/form.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

namespace marquee {

std::vector<std::pair<std::string, std::string>> parse_form_pairs(const std::string& body) {
  std::string q = "/?";
  q.reserve(body.size() + 8);
  for (char c : body) {
    if (c == '+') q += "%20";
    else q.push_back(c);
  }
  std::vector<std::pair<std::string, std::string>> out;
  auto url = boost::urls::parse_origin_form(q);
  if (!url) return out;
  for (auto p : url->params()) out.emplace_back(p.key, p.value);
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : parse_form_pairs(body)) out[k] = std::move(v);
  return out;
}

}  // namespace marquee
