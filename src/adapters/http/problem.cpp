#include "adapters/http/problem.hpp"

#include "adapters/http/json_response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace marquee {

Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance) {
  return problem(status, type, title, detail, instance, {});
}

Response field_problem(const std::string& type, const std::string& title,
                       const std::vector<std::pair<std::string, std::string>>& errors, const std::string& instance,
                       const std::string& detail) {
  boost::json::array list;
  for (const auto& [field, message] : errors) list.push_back({{"field", field}, {"message", message}});
  return problem(422, type, title, detail, instance, {{"errors", std::move(list)}});
}

Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance, const boost::json::object& extensions) {
  boost::json::object o = extensions;
  o["type"] = type;
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  o["instance"] = instance;
  Response r = json_response(status, o);
  r.content_type = "application/problem+json";
  return r;
}

Response programme_loading(const Request& req) {
  Response r = problem(503, "/problems/starting", "Service Unavailable", "The programme is still loading.", req.path);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace marquee
