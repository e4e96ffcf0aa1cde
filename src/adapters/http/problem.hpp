#pragma once
// RFC 9457 problem details (application/problem+json).
#include <string>

#include <boost/json/object.hpp>

#include "adapters/http/http_types.hpp"

namespace marquee {

/// A problem+json response: {"type", "title", "status", "detail", "instance"}.
/// `type` is a relative URI naming the problem ("/problems/invalid-parameter"),
/// `detail` the client-facing explanation (never internal error text).
Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance);

/// The same with extension members (RFC 9457 §3.2), e.g. {"errors": [...]}.
Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& instance, const boost::json::object& extensions);

/// 503 "/problems/starting" with Retry-After: 1, for reads before the first
/// programme is installed.
Response programme_loading(const Request& req);

}  // namespace marquee
