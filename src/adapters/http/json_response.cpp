#include "adapters/http/json_response.hpp"

#include <boost/json/serialize.hpp>

namespace marquee {

Response json_response(int status, const boost::json::object& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::make_shared<const std::string>(boost::json::serialize(body));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response private_json(int status, const boost::json::object& body) {
  Response r = json_response(status, body);
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace marquee
