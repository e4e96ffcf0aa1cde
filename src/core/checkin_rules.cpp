#include "core/checkin_rules.hpp"

namespace marquee {

std::string_view to_string(ScanDirection d) { return d == ScanDirection::entry ? "entry" : "exit"; }

std::optional<ScanDirection> parse_scan_direction(std::string_view s) {
  if (s == "entry") return ScanDirection::entry;
  if (s == "exit") return ScanDirection::exit;
  return std::nullopt;
}

std::string_view to_string(ScanOutcome o) {
  switch (o) {
    case ScanOutcome::admitted: return "admitted";
    case ScanOutcome::exited: return "exited";
    case ScanOutcome::refused: return "refused";
    case ScanOutcome::duplicate: return "duplicate";
  }
  return "refused";
}

std::string_view to_string(ScanRefusal r) {
  switch (r) {
    case ScanRefusal::none: return "";
    case ScanRefusal::unknown_code: return "unknown_code";
    case ScanRefusal::other_event: return "other_event";
    case ScanRefusal::cancelled: return "cancelled";
    case ScanRefusal::waitlisted: return "waitlisted";
    case ScanRefusal::already_inside: return "already_inside";
    case ScanRefusal::no_reentry: return "no_reentry";
    case ScanRefusal::not_inside: return "not_inside";
    case ScanRefusal::list_closed: return "list_closed";
    case ScanRefusal::passed_on: return "passed_on";
    case ScanRefusal::room_full: return "room_full";
    case ScanRefusal::released: return "released";
  }
  return "";
}

namespace {

ScanDecision refuse(const Presence& p, ScanRefusal why) { return ScanDecision{ScanOutcome::refused, why, p, 0, false, false}; }

ScanDecision duplicate(const Presence& p, bool supersedes) {
  ScanDecision d{ScanOutcome::duplicate, ScanRefusal::none, p, 0, supersedes, false};
  return d;
}

}  // namespace

ScanDecision decide_scan(const CheckinListRules& list, const TicketAtDoor& ticket, const Presence& presence,
                         const ScanInput& scan) {
  if (!ticket.known) return refuse(presence, ticket.passed_on ? ScanRefusal::passed_on : ScanRefusal::unknown_code);
  if (!list.event_keys.count(ticket.event_key)) return refuse(presence, ScanRefusal::other_event);
  // Let in offline before its place was released at the door: the holder came in time.
  const bool came_before_release = ticket.state == AttendeeState::cancelled && ticket.released_at_door &&
                                   scan.decided_offline && scan.at < ticket.released_at_door;
  if (ticket.state == AttendeeState::cancelled && !came_before_release)
    return refuse(presence, ticket.released_at_door ? ScanRefusal::released : ScanRefusal::cancelled);
  const bool door_place = ticket.state == AttendeeState::waitlisted && ticket.door_place &&
                          scan.direction == ScanDirection::entry && !scan.decided_offline;
  if (ticket.state == AttendeeState::waitlisted && !door_place) return refuse(presence, ScanRefusal::waitlisted);
  if ((list.opens_at && scan.at < *list.opens_at) || (list.closes_at && scan.at >= *list.closes_at))
    return refuse(presence, ScanRefusal::list_closed);

  if (scan.direction == ScanDirection::entry) {
    if (presence.inside) {
      if (!scan.decided_offline) return refuse(presence, ScanRefusal::already_inside);
      // Two devices let the same ticket in: the earlier scan by device time holds.
      Presence after = presence;
      const bool earlier = scan.at < presence.entered_at;
      if (earlier) {
        after.entered_at = scan.at;
        after.entered_device = scan.device;
      }
      return duplicate(after, earlier);
    }
    if (presence.entries > 0 && !list.allow_reentry)
      return scan.decided_offline ? duplicate(presence, false) : refuse(presence, ScanRefusal::no_reentry);
    if (ticket.room_full && !scan.decided_offline) return refuse(presence, ScanRefusal::room_full);
    Presence after = presence;
    after.inside = true;
    ++after.entries;
    after.entered_at = scan.at;
    after.entered_device = scan.device;
    return ScanDecision{ScanOutcome::admitted, ScanRefusal::none, after, +1, false, door_place};
  }
  if (!presence.inside)
    return scan.decided_offline ? duplicate(presence, false) : refuse(presence, ScanRefusal::not_inside);
  Presence after = presence;
  after.inside = false;
  ++after.exits;
  after.exited_at = scan.at;
  return ScanDecision{ScanOutcome::exited, ScanRefusal::none, after, -1, false, false};
}

}  // namespace marquee
