#pragma once
// RFC 9457 problem details (application/problem+json).
#include <string>
#include <utility>
#include <vector>

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

/// 422 for a request whose fields were refused: the problem with
/// {"errors": [{"field", "message"}, ...]} (RFC 9457 §3.2), one entry per
/// (field, message) of `errors` in order; `detail` says what to do.
Response field_problem(const std::string& type, const std::string& title,
                       const std::vector<std::pair<std::string, std::string>>& errors, const std::string& instance,
                       const std::string& detail = "Please correct the fields listed in errors.");

/// 503 "/problems/starting" with Retry-After: 1, for reads before the first
/// programme is installed.
Response programme_loading(const Request& req);

}  // namespace marquee
