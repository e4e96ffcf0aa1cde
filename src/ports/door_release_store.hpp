#pragma once
// Release at the door (issue 21, no-show management;
// migrations/<backend>/0020_no_show_management.sql): a set number of minutes
// after an event's start, the places of confirmed attendees who have not
// checked in at any list are released to people waiting at the door. The
// release is one transaction under the event's counter lock; the freed
// places do not go to the waiting list by e-mail (those at home could not
// come in time): a waiting-list ticket scanned at the door takes one
// (CheckinStore::record_scans, core/checkin_rules door_place).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "ports/account_store.hpp"

namespace marquee {

/// One event's places at the door now.
struct DoorPlaces {
  std::string event_key, title;
  UnixSeconds starts_at = 0;
  UnixSeconds release_at = 0;         ///< start + door_release_minutes (UTC seconds)
  bool releasable = false;            ///< release_at has come and the event is published, not cancelled
  std::int64_t not_checked_in = 0;    ///< confirmed, never admitted at any list: what a release would free
  std::int64_t released = 0;          ///< released at the door so far
  /// Places free now: place limit − taken, and for an overbooked event at
  /// most its capacity − its attendees inside at any list (the room);
  /// nullopt = unlimited.
  std::optional<std::int64_t> free;
  std::int64_t waitlisted = 0;        ///< tickets on the waiting list that may take them at the door
};

enum class DoorReleaseResult {
  released,   ///< `count` places released (0 when everyone came)
  not_found,  ///< no such event
  off,        ///< the event has no door release time
  too_early,  ///< before its release time
  closed,     ///< the event is cancelled or not published
};

struct DoorRelease {
  DoorReleaseResult result = DoorReleaseResult::not_found;
  std::int64_t count = 0;
  UnixSeconds release_at = 0;  ///< when releasing is allowed (too_early says when)
};

class DoorReleaseStore {
 public:
  virtual ~DoorReleaseStore() = default;
  /// The door places of those of `event_keys` with a door release time, by
  /// start then key. Throws StoreError.
  virtual std::vector<DoorPlaces> door_places(const std::vector<std::string>& event_keys, UnixSeconds now) = 0;
  /// Releases event `event_key`'s places of confirmed registrations never
  /// admitted at any check-in list nor checked in by hand: each is cancelled
  /// (history "released at the door", door_released_at = now, webhook
  /// registration.cancelled), the counter frees the places, and `audit` is
  /// written with the count. No e-mail, no promotion. Throws StoreError.
  virtual DoorRelease release_at_door(const std::string& event_key, UnixSeconds now, const AuditEntry& audit) = 0;
};

}  // namespace marquee
