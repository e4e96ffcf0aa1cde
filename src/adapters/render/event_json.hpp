#pragma once
// JSON form of public events for /api/v1 (described in docs/openapi.json).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/event_query.hpp"
#include "core/programme.hpp"

namespace marquee {

/// One event: key, title, description (Markdown), starts_at/ends_at (RFC 3339
/// UTC), local_starts_at/local_ends_at (RFC 3339 with the venue's offset),
/// time_zone, all_day, venue, address, room, category, tags, organizer, url,
/// image_url, price, capacity (null = unlimited), status, updated_at, links.
boost::json::object event_json(const ProgrammeEntry& e);

/// A partner placement showing an event (issue 17): the slot ("featured",
/// "promoted", "category_top") and the partner's name.
struct PromotedMark {
  std::string slot, partner;
};

/// {"events": [...], "total": N, "next_cursor": string|null, "generation": G}.
/// With `promoted`, each item also has "promoted": {"slot", "partner"} when
/// its key is in the map, else null.
/// Made a piece of at most 1,000 events at a time (events_page_json_pieces),
/// each event serialized alone: no document of the whole page is built (at
/// 100,000 events it took about 280 MB for a 62 MB text).
std::string events_page_json(const QueryPage& page, std::int64_t generation,
                             const std::map<std::string, PromotedMark>* promoted = nullptr);

/// The bytes of events_page_json(page, generation, promoted) in pieces: each
/// call appends the next piece (the opening and up to 1,000 events; the last
/// also the members after the list) to `out` and returns true; once all were
/// given it returns false. `page` and `promoted` must outlive the source.
/// Throws what Boost.JSON throws (std::bad_alloc).
std::function<bool(std::string&)> events_page_json_pieces(const QueryPage& page, std::int64_t generation,
                                                          const std::map<std::string, PromotedMark>* promoted = nullptr);

/// The single-event document: {"event": {...}, "generation": G}.
std::string event_document_json(const ProgrammeEntry& e, std::int64_t generation);

}  // namespace marquee
