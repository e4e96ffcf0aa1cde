#pragma once
// JSON forms of registrations for the API (see docs/openapi.json).
#include <boost/json/object.hpp>

#include "core/place_offers.hpp"
#include "app/registration_service.hpp"
#include "core/registration.hpp"

namespace marquee {

/// {"id","event_key","state","name","email","answers":{id: value},"ticket_code",
///  "created_at","checked_in_at","erased_at","moves":[{"from","to","at","actor"}]}
/// Instants are RFC 3339 UTC; absent ones are null.
boost::json::object registration_json(const Registration& r);

/// {"id","registration_id","state","offered_at","expires_at","answered_at","actor"}
/// (core/place_offers.hpp); instants RFC 3339 UTC, answered_at null while open.
boost::json::object offer_json(const PlaceOffer& o);

/// Reads {"name", "email", "answers": {id: string|bool|number}} into `in`
/// (absent members stay as they are; booleans become "yes"/"no"); returns a
/// detail message when the body is not such an object, else "".
std::string read_registration_body(const std::string& body, RegistrationInput* in);

/// Links of a registration's personal resources, by token.
boost::json::object registration_links(const std::string& token);

}  // namespace marquee
