#pragma once
// What a scan at a check-in list's gate does (issue 19): admitted, let out,
// refused with a reason the door can say, or recorded as a duplicate when a
// device that was offline already let the person in. Pure rules, no I/O; the
// store applies a decision in the transaction that records the scan.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/registration.hpp"

namespace marquee {

/// The gate rules of one check-in list.
struct CheckinListRules {
  std::set<std::string> event_keys;       ///< the events it admits (resolved from "a venue", "a day" when made)
  bool allow_reentry = false;             ///< after an exit, may the ticket enter again?
  std::optional<UnixSeconds> opens_at;    ///< UTC; before it the list is closed
  std::optional<UnixSeconds> closes_at;   ///< UTC; from it on the list is closed
};

enum class ScanDirection { entry, exit };
std::string_view to_string(ScanDirection d);                       ///< "entry", "exit"
std::optional<ScanDirection> parse_scan_direction(std::string_view s);

enum class ScanOutcome {
  admitted,   ///< let in: occupancy + 1
  exited,     ///< let out: occupancy − 1
  refused,    ///< see ScanRefusal
  duplicate,  ///< an offline device let in a ticket that was already in: recorded and flagged, occupancy unchanged
};
std::string_view to_string(ScanOutcome o);

enum class ScanRefusal {
  none,
  unknown_code,    ///< no ticket has this code (or the signature is forged)
  other_event,     ///< a ticket for an event this list does not admit (another event or day)
  cancelled,       ///< the registration was cancelled
  waitlisted,      ///< the attendee is on the waiting list, not confirmed
  already_inside,  ///< the ticket entered and has not left (when and where are in the presence)
  no_reentry,      ///< the ticket entered and left; this list does not allow re-entry
  not_inside,      ///< an exit for a ticket that is not inside
  list_closed,     ///< outside the list's opening hours
  passed_on,       ///< an old code of a registration its holder gave to someone else (self-service transfer)
  room_full,       ///< an overbooked event's room holds its capacity already (live occupancy at this list)
  released,        ///< the place was released at the door after the start (the holder had not come)
};
std::string_view to_string(ScanRefusal r);  ///< "unknown_code", "other_event", …

/// The ticket a code belongs to, as the store knows it now.
struct TicketAtDoor {
  bool known = false;
  bool passed_on = false;  ///< not known, but given up in a transfer (refused as passed_on, not unknown_code)
  std::string event_key;
  AttendeeState state = AttendeeState::confirmed;
  /// The ticket's event is overbooked and as many of its attendees as its
  /// capacity are inside at this list now: an entry would pass the room.
  bool room_full = false;
  /// When a cancelled registration's place was released at the door (UTC
  /// seconds; 0 = it was not).
  UnixSeconds released_at_door = 0;
  /// A waiting-list ticket that may take a place released at the door (the
  /// event's door release time has passed and a place is free).
  bool door_place = false;
};

/// One ticket's state at one check-in list.
struct Presence {
  bool inside = false;
  int entries = 0;              ///< admitted entries so far
  int exits = 0;                ///< exits so far
  UnixSeconds entered_at = 0;   ///< the admitted entry that holds (device time, UTC)
  std::string entered_device;   ///< where it was scanned
  UnixSeconds exited_at = 0;    ///< the last exit
};

/// One scan as a device reports it.
struct ScanInput {
  ScanDirection direction = ScanDirection::entry;
  UnixSeconds at = 0;            ///< when the device scanned it (UTC seconds)
  std::string device;
  /// The device had no network and let the person in (or out) on its own
  /// check; the person is past the gate, so the server records rather than
  /// refuses what it cannot undo.
  bool decided_offline = false;
};

struct ScanDecision {
  ScanOutcome outcome = ScanOutcome::refused;
  ScanRefusal refusal = ScanRefusal::none;
  Presence after;            ///< the presence once the scan is applied
  int occupancy_delta = 0;   ///< +1, −1 or 0
  /// A duplicate entry scanned earlier (by device time) than the entry that
  /// holds: it becomes the holding entry and the other one the duplicate
  /// ("the first scan by time wins").
  bool supersedes_holding_entry = false;
  /// Admitted from the waiting list on a place released at the door: the
  /// store confirms the registration in the scan's transaction.
  bool takes_door_place = false;
};

/// Decides a scan. Rules, in order: the code must be known; the ticket's
/// event must be one the list admits; a cancelled registration is refused
/// (released when its place was released at the door — but an entry a
/// device decided offline before that release is judged as confirmed: the
/// person came in time); a waitlisted one is
/// refused unless ticket.door_place, when an entry admits it on a place
/// released at the door (takes_door_place; never decided offline, never an exit); the list must be open at `scan.at`; then an entry while inside
/// is refused (already_inside) unless the device decided offline, when it is
/// a duplicate; an entry after an exit needs allow_reentry (else no_reentry,
/// or a duplicate when decided offline); an exit needs the ticket inside
/// (else not_inside; an offline exit of a ticket not inside is a duplicate);
/// last, an entry that would be admitted while ticket.room_full is refused
/// (room_full) unless the device decided offline (the person is in already).
/// Never throws.
ScanDecision decide_scan(const CheckinListRules& list, const TicketAtDoor& ticket, const Presence& presence,
                         const ScanInput& scan);

}  // namespace marquee
