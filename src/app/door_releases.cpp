#include "app/door_releases.hpp"

#include "core/time_zone.hpp"

namespace marquee {

std::vector<DoorPlaces> DoorReleases::places_of_list(std::int64_t list_id) {
  for (const auto& l : store_.list_checkin_lists())
    if (l.id == list_id) return store_.door_places(l.event_keys, clock_.now());
  return {};
}

std::optional<DoorPlaces> DoorReleases::places_of_event(const std::string& event_key) {
  auto places = store_.door_places({event_key}, clock_.now());
  if (places.empty()) return std::nullopt;
  return places.front();
}

DoorRelease DoorReleases::release(const std::string& event_key, const std::string& actor) {
  const UnixSeconds now = clock_.now();
  return store_.release_at_door(event_key, now, AuditEntry{0, now, actor, "door_release", "event " + event_key, "", ""});
}

std::string DoorReleases::refusal_detail(const DoorRelease& r, const std::string& zone) {
  switch (r.result) {
    case DoorReleaseResult::released: return "";
    case DoorReleaseResult::not_found: return "no event has this key";
    case DoorReleaseResult::off: return "the event has no release at the door: set the minutes after the start in its settings";
    case DoorReleaseResult::closed: return "the event is cancelled or not published";
    case DoorReleaseResult::too_early: {
      const LocalTime t = to_local(r.release_at, zone.empty() ? "UTC" : zone);
      return "places can be released from " + t.time + " on " + t.date + " (" + (zone.empty() ? "UTC" : zone) + ")";
    }
  }
  return "";
}

}  // namespace marquee
