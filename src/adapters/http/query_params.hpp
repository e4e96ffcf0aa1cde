#pragma once
// Query parameters of GET /api/v1/events and of the programme page.
#include <optional>
#include <string>

#include "adapters/http/http_types.hpp"
#include "core/event_query.hpp"

namespace marquee {

/// Reads from, to, category, tag, venue, q, limit and cursor.
/// from/to: "YYYY-MM-DD" (compared with the event's local start date,
/// inclusive) or an RFC 3339 instant. limit: 1..1000.
/// On bad input returns nullopt and sets `error` to a client-facing detail
/// such as "limit must be a whole number from 1 to 1000, got '5000'".
std::optional<EventQuery> parse_event_query(const Request& req, std::string* error);

/// True when the request carries any filter or paging parameter.
bool has_event_filters(const Request& req);

}  // namespace marquee
