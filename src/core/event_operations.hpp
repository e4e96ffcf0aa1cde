#pragma once
// One event's operations settings (issue 21; table event_operations): how a
// freed place reaches the waiting list, how long an offer stays open, and
// whether attendees may transfer their ticket. Not programme data: neither
// imported nor published. Plain C++, no I/O.
#include <optional>

#include "core/event.hpp"
#include <string>
#include <string_view>

namespace marquee {

/// How a freed place reaches the waiting list (docs/registrations.md).
enum class Promotion {
  automatic,  ///< the next person waiting is confirmed at once (and told)
  offer,      ///< the next person waiting is offered the place, held for them until they answer or the offer expires
};
std::string_view to_string(Promotion p);
std::optional<Promotion> parse_promotion(std::string_view text);  ///< "automatic" | "offer"; nullopt otherwise

/// Hours an offer stays open by default, and the bounds an operator may set.
inline constexpr int kDefaultOfferHours = 12;
inline constexpr int kMinOfferHours = 1;
inline constexpr int kMaxOfferHours = 168;

/// The settings; the defaults hold for events without a row.
struct EventOperations {
  Promotion promotion = Promotion::automatic;
  int offer_hours = kDefaultOfferHours;  ///< kMinOfferHours..kMaxOfferHours
  bool transfers = false;                ///< attendees may pass their place to someone else (self-service)
  /// Reminders before this event's start, as core/reminders reads them
  /// ("24h, 2h"; "" = none for this event); nullopt = the installation's setting.
  std::optional<std::string> reminder_offsets;
  /// Reconfirmation (no-show management, docs/registrations.md): confirmed
  /// attendees are asked "Still coming?" this many hours before the start
  /// (nullopt = never), and — when `reconfirm_release_hours` is set — those
  /// asked who have not answered this many hours before the start lose their
  /// place to the waiting list. release < ask.
  std::optional<int> reconfirm_hours;
  std::optional<int> reconfirm_release_hours;
  /// Overbooking (off = 0): the event confirms up to capacity × (1 +
  /// overbook_percent / 100) places (place_limit); 0..kMaxOverbookPercent.
  int overbook_percent = 0;
  /// Release at the door: this many minutes after the start the places of
  /// confirmed attendees not checked in may be released to people waiting
  /// at the door (kMinDoorReleaseMinutes..kMaxDoorReleaseMinutes); nullopt = off.
  std::optional<int> door_release_minutes;
  friend bool operator==(const EventOperations&, const EventOperations&) = default;
};

/// Bounds of the door release, minutes after the start.
inline constexpr int kMinDoorReleaseMinutes = 5;
inline constexpr int kMaxDoorReleaseMinutes = 240;

/// The most an event may be overbooked, in percent of its capacity.
inline constexpr int kMaxOverbookPercent = 100;

/// The places an event confirms: `capacity` plus `overbook_percent` of it,
/// rounded down (40 at 10 % → 44); nullopt (unlimited) stays nullopt. The
/// room still holds `capacity`: the door refuses entry beyond it.
std::optional<std::int64_t> place_limit(std::optional<std::int64_t> capacity, int overbook_percent);

/// Bounds of the reconfirmation hours: asked up to two weeks ahead, released
/// an hour before the start at the latest, and at least one hour to answer.
inline constexpr int kMaxReconfirmHours = 336;

/// The least time an asked attendee has to answer before their place can be
/// released (seconds): who is asked late — reconfirmation switched on late,
/// the server down at the moment, a place passed on — gets at least this,
/// and is not released at all when that would reach into the last hour
/// before the start.
inline constexpr UnixSeconds kMinReconfirmWindow = 6 * 3600;

/// The deadline of someone asked at `asked_at` for an event starting at
/// `starts_at` that releases `release_hours` before the start: the release
/// time, but at least kMinReconfirmWindow after the question; nullopt when
/// there is no release or that would be later than an hour before the start.
std::optional<UnixSeconds> reconfirm_deadline(UnixSeconds asked_at, UnixSeconds starts_at, std::optional<int> release_hours);

/// Why these reconfirmation hours cannot be saved ("" = they can): ask 1..336,
/// release 1..335 and only with asking, at least an hour after the ask.
std::string check_reconfirmation(std::optional<int> ask_hours, std::optional<int> release_hours);

/// What a reconfirmation answer did (ports/reconfirm_store.hpp).
enum class ReconfirmAnswer {
  reconfirmed,          ///< "Yes, I'm coming" recorded now
  already_reconfirmed,  ///< recorded before (the answer is the same)
  not_asked,            ///< confirmed, but not asked (yet): nothing to answer
  not_confirmed,        ///< waitlisted, cancelled (released too), checked in, or erased
  not_found,            ///< no registration has the token
};

}  // namespace marquee
