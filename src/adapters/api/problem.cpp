#include "adapters/api/problem.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace marquee {

Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance) {
  return problem(status, type, title, detail, instance, {});
}

Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance, const boost::json::object& extensions) {
  boost::json::object o = extensions;
  o["type"] = type;
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  o["instance"] = instance;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = std::make_shared<const std::string>(boost::json::serialize(o));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace marquee
