#pragma once
// One engagement signal, the unit Marquee's own analytics counts: a view, a
// discovery search, a calendar save, an outbound click, a registration, a
// placement impression or click, a feed fetch. Made by the HTTP handlers
// (adapters/http/visit_counter), buffered and rolled up by
// app/analytics_recorder. No personal data: a visitor is only the keyed hash
// of core/visitor_id, "" when the client asked not to be tracked.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marquee {

enum class SignalKind {
  view,            ///< an event page or an event's JSON served; detail "page" or "json"
  search,          ///< a discovery search (programme page or API); search_* fields set
  calendar_save,   ///< detail "ics" (the event's .ics), "google" or "outlook" (the add-to-calendar links)
  outbound_click,  ///< GET /go/{key}: the event's own "More information" URL
  registration,    ///< detail "confirmed" or "waitlisted"
  impression,      ///< a placement shown (slot set; partner placements)
  click,           ///< a placement clicked (slot set)
  feed_fetch,      ///< a calendar/schedule feed fetched; detail the feed ("calendar.ics", …)
  dropped,         ///< detail a full buffer dropped: detail "visitor_id" or "search_term"
};

/// "view", "search", "calendar_save", "outbound_click", "registration",
/// "impression", "click", "feed_fetch", "dropped".
std::string_view to_string(SignalKind k);
std::optional<SignalKind> parse_signal_kind(std::string_view s);

struct Signal {
  SignalKind kind = SignalKind::view;
  std::string event_key;  ///< "" for site-wide signals (search, feed_fetch)
  std::string detail;     ///< see SignalKind
  std::string slot;       ///< placement slot ("featured", "promoted", …), "" when none
  std::string search_term;     ///< search: normalised (core/search_term), "" for filters only
  std::string search_filters;  ///< search: "category=Music;venue=Hall" (sorted names), "" when none
  std::int64_t results = 0;    ///< search: number of results
  std::string visitor;    ///< core/visitor_id hex, "" when not identified (DNT, GPC, no salt)
};

/// `s` with every text field made safe to store: invalid UTF-8 becomes "",
/// control characters (U+0000–U+001F, U+007F) are removed, and each field is
/// cut to 200 bytes (never inside a character). Clients choose some of these
/// texts (search terms and filters): no value may fail a flush.
Signal clean_signal(Signal s);

}  // namespace marquee
