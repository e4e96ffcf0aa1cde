#include "adapters/web/form.hpp"

#include <boost/url/parse.hpp>

namespace marquee {

std::map<std::string, std::string> parse_form(const std::string& body) {
  std::string q = "/?";
  q.reserve(body.size() + 8);
  for (char c : body) {
    if (c == '+') q += "%20";
    else q.push_back(c);
  }
  std::map<std::string, std::string> out;
  auto url = boost::urls::parse_origin_form(q);
  if (!url) return out;
  for (auto p : url->params()) out[p.key] = p.value;
  return out;
}

}  // namespace marquee
