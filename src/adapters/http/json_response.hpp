#pragma once
// A JSON response that must not be cached (operator and personal data).
#include <boost/json/object.hpp>

#include "adapters/http/http_types.hpp"

namespace marquee {

/// `status` with `body` serialized as application/json and Cache-Control: no-store.
Response json_response(int status, const boost::json::object& body);

/// json_response with Referrer-Policy: no-referrer, for answers about one
/// person reached by their personal token (their registration, its offer).
Response private_json(int status, const boost::json::object& body);

}  // namespace marquee
