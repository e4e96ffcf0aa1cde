// No-show figures of SqlStore (ports/no_show_store.hpp): one grouped query,
// each registration that held a place put in exactly one class.
#include "adapters/store/sql_store.hpp"

namespace marquee {

std::vector<EventNoShows> SqlStore::no_show_figures(UnixSeconds from, UnixSeconds to, UnixSeconds now) {
  auto db = pool_.acquire();
  // Came beats everything (a person let in is never a no-show); a place released at the door is a
  // no-show's; then released for not reconfirming, cancelled, still confirmed.
  const std::string cls =
      "CASE WHEN r.state = 'checked_in' OR EXISTS (SELECT 1 FROM checkin_presence p WHERE p.registration_id = r.id "
      "AND p.entries > 0) THEN 'came' WHEN r.door_released_at IS NOT NULL THEN 'no_show' "
      "WHEN r.state = 'cancelled' AND EXISTS (SELECT 1 FROM registration_moves m WHERE m.registration_id = r.id "
      "AND m.to_state = 'cancelled' AND m.actor = 'not reconfirmed') THEN 'released' "
      "WHEN r.state = 'cancelled' THEN 'cancelled' WHEN r.state = 'confirmed' THEN 'no_show' ELSE 'other' END";
  std::vector<EventNoShows> out;
  for (const auto& row : db->query(
           "SELECT e.key, e.title, e.category, e.venue, e.starts_at, " + cls + " AS class, COUNT(*), "
           "SUM(CASE WHEN r.reconfirmed_at IS NOT NULL THEN 1 ELSE 0 END) "
           "FROM events e JOIN registrations r ON r.event_key = e.key "
           "WHERE e.starts_at >= CAST(? AS BIGINT) AND e.starts_at < CAST(? AS BIGINT) AND e.starts_at <= CAST(? AS BIGINT) "
           "AND e.status <> 'cancelled' AND EXISTS (SELECT 1 FROM registration_moves h WHERE h.registration_id = r.id "
           "AND h.to_state IN ('confirmed', 'checked_in')) "
           "GROUP BY e.key, e.title, e.category, e.venue, e.starts_at, class ORDER BY e.starts_at, e.key",
           Row{std::to_string(from), std::to_string(to), std::to_string(now)})) {
    const std::string key = row[0].value_or("");
    if (out.empty() || out.back().event_key != key) {
      EventNoShows e;
      e.event_key = key;
      e.title = row[1].value_or("");
      e.category = row[2].value_or("");
      e.venue = row[3].value_or("");
      e.starts_at = std::stoll(row[4].value_or("0"));
      e.figures.events = 1;
      out.push_back(std::move(e));
    }
    NoShowFigures& f = out.back().figures;
    const std::string c = row[5].value_or("");
    const std::int64_t n = std::stoll(row[6].value_or("0"));
    f.registered += n;
    f.reconfirmed += std::stoll(row[7].value_or("0"));
    if (c == "came") f.checked_in += n;
    else if (c == "released") f.released += n;
    else if (c == "cancelled") f.cancelled += n;
    else if (c == "no_show") f.no_shows += n;
  }
  return out;
}

}  // namespace marquee
