#pragma once
// What a visitor may do about an event's places right now, and how to say it
// ("12 places left", "Full – join the waiting list", "Registration closed").
// Capacity is never shown as if it were availability. No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

enum class PlacesState {
  no_registration,  ///< the event takes no registrations (walk in)
  closed,           ///< registrations were taken but no longer (started, cancelled, unpublished)
  open,             ///< open, no capacity limit
  places_left,      ///< open, `left` of `capacity` places free
  full_waitlist,    ///< full; new registrations join the waiting list
  full,             ///< full, no waiting list
};

/// "no_registration", "closed", "open", "places_left", "full_waitlist", "full".
std::string_view to_string(PlacesState s);

struct Places {
  PlacesState state = PlacesState::no_registration;
  std::int64_t left = 0;      ///< places_left: free places (≥ 1)
  std::int64_t capacity = 0;  ///< the event's capacity (0 = none)
  friend bool operator==(const Places&, const Places&) = default;
};

/// The state of `e` at `now` (UTC seconds) with `confirmed` places taken
/// (confirmed and checked-in registrations; nullopt = not counted yet, read as 0).
Places places_for(const Event& e, std::optional<std::int64_t> confirmed, UnixSeconds now);

/// One short sentence: "12 places left", "1 place left", "Full – join the
/// waiting list", "Full – no places left", "Registration is open",
/// "Registration is closed", and for walk-in events with a capacity "No
/// registration needed (room for 120)", else "".
std::string places_text(const Places& p);

/// The label of the button that registers ("Register", "Join the waiting
/// list"), or "" when there is nothing to register for.
std::string register_label(const Places& p);

}  // namespace marquee
