#pragma once
// JSON routes for release at the door (issue 21, no-show management;
// docs/registrations.md "Release at the door"; docs/openapi.json).
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "app/checkins.hpp"
#include "app/door_releases.hpp"

namespace marquee {

class DoorReleaseApi {
 public:
  using ZoneOf = std::function<std::string()>;
  DoorReleaseApi(DoorReleases& releases, Store& store, CheckinService& checkins, ZoneOf zone)
      : releases_(releases), store_(store), checkins_(checkins), zone_(std::move(zone)) {}

  /// GET  /api/v1/events/{key}/door-release  staff (check_in): the event's door places
  ///   {"event_key", "release_at" (RFC 3339 UTC), "releasable", "not_checked_in", "released",
  ///    "free" (null = unlimited), "waitlisted"}; 404 unknown event or no door release time
  /// POST /api/v1/events/{key}/door-release  staff (check_in): releases the places of confirmed
  ///   attendees not checked in → 200 {"released": N}; 404 unknown event; 409
  ///   /problems/door-release-off, /problems/door-release-too-early (detail: from when),
  ///   /problems/event-closed
  /// A door user may use both only for events of a check-in list they may
  /// scan at (CheckinService::lists_for); 403 /problems/not-assigned otherwise.
  void add_routes(Router& router);

 private:
  Response read(const Request& req, const std::string& key);
  Response release(const Request& req, const std::string& key);
  /// True when the request's user may act at event `key`'s door.
  bool at_their_door(const Request& req, const std::string& key);

  DoorReleases& releases_;
  Store& store_;
  CheckinService& checkins_;
  ZoneOf zone_;
};

}  // namespace marquee
