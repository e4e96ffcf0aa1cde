#pragma once
// Release at the door (issue 21, no-show management; docs/registrations.md
// "Release at the door"): what the door page shows for a check-in list's
// events, and the release itself — one app-layer move, audited, called by
// the door page, the API and the CLI alike.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class DoorReleases {
 public:
  DoorReleases(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// The door places of check-in list `list_id`'s events that have a door
  /// release time (DoorReleaseStore::door_places); empty for an unknown list.
  /// Throws StoreError.
  std::vector<DoorPlaces> places_of_list(std::int64_t list_id);
  /// The door places of event `event_key`; nullopt for an unknown event or
  /// one without a door release time. Throws StoreError.
  std::optional<DoorPlaces> places_of_event(const std::string& event_key);

  /// Releases event `event_key`'s places of confirmed attendees not checked
  /// in (DoorReleaseStore::release_at_door), audited "door_release" as
  /// `actor`. Throws StoreError.
  DoorRelease release(const std::string& event_key, const std::string& actor);

  /// The problem `detail` for a release that did not happen, e.g. "places
  /// can be released from 19:15 (Europe/Berlin)"; "" when released.
  static std::string refusal_detail(const DoorRelease& r, const std::string& zone);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
