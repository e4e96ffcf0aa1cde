#include "adapters/api/door_release_api.hpp"

#include <algorithm>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/roles.hpp"
#include "core/time_zone.hpp"

namespace marquee {

void DoorReleaseApi::add_routes(Router& router) {
  router.add(Route{"GET", "/api/v1/events/{key}/door-release", Access::staff,
                   [this](const Request& r, const PathParams& p) { return read(r, p.at("key")); }, true, Capability::check_in});
  router.add(Route{"POST", "/api/v1/events/{key}/door-release", Access::staff,
                   [this](const Request& r, const PathParams& p) { return release(r, p.at("key")); }, true,
                   Capability::check_in});
}

bool DoorReleaseApi::at_their_door(const Request& req, const std::string& key) {
  const auto role = parse_role(req.actor_role);
  if (role != Role::door) return true;
  for (const auto& l : checkins_.lists_for(req.actor, role))
    if (std::find(l.event_keys.begin(), l.event_keys.end(), key) != l.event_keys.end()) return true;
  return false;
}

namespace {

Response not_assigned(const Request& req, const std::string& key) {
  return problem(403, "/problems/not-assigned", "Not your door",
                 "Event '" + key + "' is not admitted at a check-in list you are assigned to; ask an operator.", req.path);
}

}  // namespace

Response DoorReleaseApi::read(const Request& req, const std::string& key) {
  if (!store_.find_event(key))
    return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
  if (!at_their_door(req, key)) return not_assigned(req, key);
  const auto now_places = releases_.places_of_event(key);
  if (!now_places)
    return problem(404, "/problems/door-release-off", "No release at the door",
                   "Event '" + key + "' has no door release time; set door_release_minutes in its operations settings.", req.path);
  const DoorPlaces& p = *now_places;
  boost::json::object o{{"event_key", key},
                        {"release_at", format_utc(p.release_at)},
                        {"releasable", p.releasable},
                        {"not_checked_in", p.not_checked_in},
                        {"released", p.released},
                        {"waitlisted", p.waitlisted}};
  if (p.free) o["free"] = *p.free;
  else o["free"] = nullptr;
  return json_response(200, o);
}

Response DoorReleaseApi::release(const Request& req, const std::string& key) {
  if (store_.find_event(key) && !at_their_door(req, key)) return not_assigned(req, key);
  const DoorRelease r = releases_.release(key, req.actor);
  const std::string detail = DoorReleases::refusal_detail(r, zone_ ? zone_() : std::string());
  switch (r.result) {
    case DoorReleaseResult::released: return json_response(200, {{"event_key", key}, {"released", r.count}});
    case DoorReleaseResult::not_found:
      return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
    case DoorReleaseResult::off: return problem(409, "/problems/door-release-off", "No release at the door", detail, req.path);
    case DoorReleaseResult::too_early:
      return problem(409, "/problems/door-release-too-early", "Too early to release", detail, req.path);
    case DoorReleaseResult::closed: return problem(409, "/problems/event-closed", "Event closed", detail, req.path);
  }
  return problem(500, "/problems/internal", "Internal error", "", req.path);
}

}  // namespace marquee
