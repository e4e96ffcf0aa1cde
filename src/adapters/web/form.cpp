#include "adapters/web/form.hpp"

#include <boost/url/parse.hpp>

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

std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : parse_form_pairs(body)) out[k] = std::move(v);
  return out;
}

}  // namespace marquee
