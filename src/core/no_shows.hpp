#pragma once
// No-show figures and the overbooking risk (issue 21, no-show management):
// how many of an event's confirmed attendees came, and — from that history —
// how likely more people than the room holds come to an overbooked event.
// Plain C++, no I/O.
#include <cstdint>
#include <optional>
#include <string>

namespace marquee {

/// One event's (or a sum of events') registrations by how they ended. Every
/// registration that held a confirmed place at some time counts once in
/// `registered` and in exactly one of released, cancelled, checked_in and
/// no_shows.
struct NoShowFigures {
  std::int64_t events = 0;       ///< events summed (1 for one event)
  std::int64_t registered = 0;   ///< held a confirmed place at some time (from the start or promoted)
  std::int64_t reconfirmed = 0;  ///< answered "Still coming?" with yes
  std::int64_t released = 0;     ///< lost the place for not reconfirming in time
  std::int64_t cancelled = 0;    ///< gave the place up themselves (or an operator did)
  std::int64_t checked_in = 0;   ///< came: admitted at a check-in list, or checked in by hand
  std::int64_t no_shows = 0;     ///< held the place at the start and did not come (incl. released at the door)
  /// Places held at the start: checked_in + no_shows.
  std::int64_t expected() const { return checked_in + no_shows; }
  /// no_shows / expected, 0..1; nullopt when nobody held a place at the start.
  std::optional<double> no_show_rate() const;
  /// checked_in / expected, 0..1; nullopt when nobody held a place at the start.
  std::optional<double> show_rate() const;
  NoShowFigures& operator+=(const NoShowFigures& o);
  friend bool operator==(const NoShowFigures&, const NoShowFigures&) = default;
};

/// The chance (0..1) that more than `room` of `places` confirmed attendees
/// come when each comes independently with probability `show_rate` (the
/// binomial upper tail P(X > room), X ~ Binomial(places, show_rate)). 0 when
/// places ≤ room; show_rate is clamped to 0..1. Exact to about 1e-12 for
/// places up to 100,000.
double overflow_chance(std::int64_t places, std::int64_t room, double show_rate);

/// What overbooking an event risks, from the show rate of earlier events.
struct OverbookingRisk {
  std::int64_t room = 0;          ///< the event's capacity: people the room holds
  std::int64_t places = 0;        ///< the place limit with overbooking (place_limit)
  double show_rate = 0;           ///< the share of confirmed attendees who came, from `history`
  std::int64_t history_events = 0, history_expected = 0;  ///< what show_rate comes from
  std::int64_t expected_turnout = 0;  ///< places × show_rate, rounded
  double overflow_chance = 0;     ///< P(more than room come when every place is taken)
};

/// The risk of confirming `places` for a room of `room` given `history`
/// (earlier events' figures); nullopt when the history has fewer than
/// kMinRiskHistory places held at a start (too little to say anything).
std::optional<OverbookingRisk> overbooking_risk(std::int64_t room, std::int64_t places, const NoShowFigures& history);

/// The least history (places held at past starts) a risk is computed from.
inline constexpr std::int64_t kMinRiskHistory = 20;

}  // namespace marquee
