#pragma once
// The answer to a client over its rate limit on a public write path.
#include <optional>

#include "adapters/http/http_types.hpp"
#include "app/address_limit.hpp"
#include "core/event.hpp"

namespace marquee {

/// Takes one unit of `limiter` for the client's address at `now` (UTC
/// seconds): nullopt when allowed, else 429 problem+json (RFC 9457) with
/// Retry-After in seconds (RFC 9110 §10.2.3).
std::optional<Response> rate_limited(AddressLimit& limiter, const Request& req, UnixSeconds now);

/// The same for any counted key (e.g. an agenda's token hash) instead of the
/// address; `what` names what is limited in the problem's detail ("changes to this agenda").
std::optional<Response> rate_limited(AddressLimit& limiter, const std::string& key, const std::string& what,
                                     const Request& req, UnixSeconds now);

}  // namespace marquee
