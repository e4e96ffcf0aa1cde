#pragma once
// JSON forms of registrations for the API (see docs/openapi.json).
#include <boost/json/object.hpp>

#include "core/registration.hpp"

namespace marquee {

/// {"id","event_key","state","name","email","answers":{id: value},"ticket_code",
///  "created_at","checked_in_at","erased_at","moves":[{"from","to","at","actor"}]}
/// Instants are RFC 3339 UTC; absent ones are null.
boost::json::object registration_json(const Registration& r);

/// Links of a registration's personal resources, by token.
boost::json::object registration_links(const std::string& token);

}  // namespace marquee
