// Release at the door of SqlStore (ports/door_release_store.hpp): what the
// door page shows, and the release itself under the event's counter lock.
#include <algorithm>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

// Confirmed registrations of event ? never admitted at any list (checked in by hand is another state).
const std::string kNotCheckedIn =
    "r.event_key = ? AND r.state = 'confirmed' AND NOT EXISTS (SELECT 1 FROM checkin_presence p "
    "WHERE p.registration_id = r.id AND p.entries > 0)";

}  // namespace

std::vector<DoorPlaces> SqlStore::door_places(const std::vector<std::string>& event_keys, UnixSeconds now) {
  std::vector<DoorPlaces> out;
  if (event_keys.empty()) return out;
  auto db = pool_.acquire();
  Row params(event_keys.begin(), event_keys.end());
  for (const auto& r : db->query("SELECT e.key, e.title, e.starts_at, e.status, o.door_release_minutes, c.capacity, c.confirmed, "
                                 "c.offered, c.waitlisted, (SELECT COUNT(*) FROM registrations d WHERE d.event_key = e.key "
                                 "AND d.door_released_at IS NOT NULL), e.capacity "
                                 "FROM events e JOIN event_operations o ON o.event_key = e.key "
                                 "JOIN event_counters c ON c.event_key = e.key WHERE o.door_release_minutes IS NOT NULL "
                                 "AND e.key IN (" + placeholders(params.size()) + ") ORDER BY e.starts_at, e.key",
                                 params)) {
    DoorPlaces p;
    p.event_key = r[0].value_or("");
    p.title = r[1].value_or("");
    p.starts_at = std::stoll(r[2].value_or("0"));
    p.release_at = p.starts_at + std::stoll(r[4].value_or("0")) * 60;
    p.releasable = r[3].value_or("") == "published" && now >= p.release_at;
    const auto limit = opt_int(r[5]);
    const std::int64_t taken = std::stoll(r[6].value_or("0")) + std::stoll(r[7].value_or("0"));
    if (limit) p.free = std::max<std::int64_t>(0, *limit - taken);
    p.waitlisted = std::stoll(r[8].value_or("0"));
    p.released = std::stoll(r[9].value_or("0"));
    const auto n = db->query("SELECT COUNT(*) FROM registrations r WHERE " + kNotCheckedIn, Row{p.event_key});
    p.not_checked_in = n.empty() ? 0 : std::stoll(n[0][0].value_or("0"));
    // Overbooked: the room, not only the place limit, bounds who can come in now (the door refuses at its capacity).
    const auto room = opt_int(r[10]);
    if (p.free && room && limit && *limit > *room) {
      const auto inside = db->query("SELECT COUNT(DISTINCT p.registration_id) FROM checkin_presence p JOIN registrations g "
                                    "ON g.id = p.registration_id WHERE g.event_key = ? AND p.inside = ?",
                                    Row{p.event_key, db->true_text()});
      const std::int64_t in = inside.empty() ? 0 : std::stoll(inside[0][0].value_or("0"));
      p.free = std::min(*p.free, std::max<std::int64_t>(0, *room - in));
    }
    out.push_back(std::move(p));
  }
  return out;
}

DoorRelease SqlStore::release_at_door(const std::string& event_key, UnixSeconds now, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        DoorRelease out;
        // The occupancy rows of the lists admitting the event first, in id order (the order scans take:
        // list, then counter), so that an admission in flight commits before the release looks and
        // nobody is both let in and released.
        db->query("SELECT o.list_id FROM checkin_occupancy o JOIN checkin_list_events l ON l.list_id = o.list_id "
                  "WHERE l.event_key = ? ORDER BY o.list_id" + std::string(db->row_lock()),
                  Row{event_key});
        if (!lock_counter(*db, event_key)) return out;
        const auto ev = db->query("SELECT e.starts_at, e.status, o.door_release_minutes FROM events e LEFT JOIN event_operations o "
                                  "ON o.event_key = e.key WHERE e.key = ?",
                                  Row{event_key});
        if (ev.empty()) return out;
        const auto minutes = opt_int(ev[0][2]);
        if (!minutes) {
          out.result = DoorReleaseResult::off;
          return out;
        }
        out.release_at = std::stoll(ev[0][0].value_or("0")) + *minutes * 60;
        if (ev[0][1].value_or("") != "published") {
          out.result = DoorReleaseResult::closed;
          return out;
        }
        if (now < out.release_at) {
          out.result = DoorReleaseResult::too_early;
          return out;
        }
        out.result = DoorReleaseResult::released;
        for (const auto& r : db->query("SELECT r.id FROM registrations r WHERE " + kNotCheckedIn + " ORDER BY r.id", Row{event_key})) {
          auto g = registration_where(*db, "id = ?", Row{r[0]});
          if (!g || g->state != AttendeeState::confirmed) continue;
          move_registration(*db, *g, AttendeeState::cancelled, now, "released at the door");
          db->query("UPDATE registrations SET door_released_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT)",
                    Row{std::to_string(now), std::to_string(g->id)});
          ++out.count;
        }
        if (out.count > 0)
          db->query("UPDATE event_counters SET confirmed = confirmed - CAST(? AS BIGINT) WHERE event_key = ?",
                    Row{std::to_string(out.count), event_key});
        AuditEntry a = audit;
        if (!a.at) a.at = now;
        a.after = std::to_string(out.count) + (out.count == 1 ? " place" : " places") + " released at the door";
        insert_audit(*db, a);
        return out;
      },
      false);
}

}  // namespace marquee
