// Reconfirmation of SqlStore (ports/reconfirm_store.hpp): asking, answers and
// releases, each event's in one transaction under its counter lock.
#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

struct Due {
  std::string event_key;
  UnixSeconds starts_at = 0;
  int hours = 0;
};

// Events whose reconfirmation moment (start − `column` hours) has come at
// `now` and which have not started; published ones only.
std::vector<Due> due_events(SqlConnection& db, const char* column, UnixSeconds now) {
  std::vector<Due> out;
  const std::string n = std::to_string(now);
  for (const auto& r : db.query(std::string("SELECT o.event_key, e.starts_at, o.") + column +
                                    " FROM event_operations o JOIN events e ON e.key = o.event_key WHERE o." + column +
                                    " IS NOT NULL AND e.status = 'published' AND e.starts_at > CAST(? AS BIGINT) AND "
                                    "e.starts_at - o." + column + " * 3600 <= CAST(? AS BIGINT) ORDER BY o.event_key",
                                Row{n, n}))
    out.push_back(Due{r[0].value_or(""), std::stoll(r[1].value_or("0")), static_cast<int>(std::stoll(r[2].value_or("0")))});
  return out;
}

// Registrations of an event (?) to ask at its moment (?, ?): confirmed with an e-mail, not asked yet,
// and holding the place since before that moment — registered before it and not promoted from the
// waiting list after it (who just got their place is not asked whether they still want it).
const std::string kAskable =
    "event_key = ? AND state = 'confirmed' AND email IS NOT NULL AND reconfirm_asked_at IS NULL "
    "AND created_at <= CAST(? AS BIGINT) AND NOT EXISTS (SELECT 1 FROM registration_moves m "
    "WHERE m.registration_id = registrations.id AND m.from_state = 'waitlisted' AND m.to_state = 'confirmed' "
    "AND m.at > CAST(? AS BIGINT))";

std::optional<int> operations_release_hours(SqlConnection& db, const std::string& event_key) {
  auto rows = db.query("SELECT reconfirm_release_hours FROM event_operations WHERE event_key = ?", Row{event_key});
  if (rows.empty()) return std::nullopt;
  if (auto h = opt_int(rows[0][0])) return static_cast<int>(*h);
  return std::nullopt;
}

void history(SqlConnection& db, std::int64_t id, AttendeeState state, UnixSeconds now, const std::string& actor) {
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) "
           "VALUES (CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), ?)",
           Row{std::to_string(id), std::string(to_string(state)), std::string(to_string(state)), std::to_string(now), actor});
}

}  // namespace

std::int64_t SqlStore::ask_reconfirmations(UnixSeconds now) {
  auto db = pool_.acquire();
  std::int64_t asked = 0;
  for (const auto& due : due_events(*db, "reconfirm_hours", now)) {
    const std::string ask_moment = std::to_string(due.starts_at - static_cast<UnixSeconds>(due.hours) * 3600);
    // A plain read first: once everyone is asked, the every-minute job takes no lock.
    if (db->query("SELECT 1 FROM registrations WHERE " + kAskable + " LIMIT 1", Row{due.event_key, ask_moment, ask_moment}).empty())
      continue;
    asked += in_write_transaction(
        *db,
        [&] {
          lock_counter(*db, due.event_key);
          // The deadline each is told: the event's release time, but never too short (core reconfirm_deadline).
          const auto deadline = reconfirm_deadline(now, due.starts_at, operations_release_hours(*db, due.event_key));
          auto ids = db->query("UPDATE registrations SET reconfirm_asked_at = CAST(? AS BIGINT), "
                               "reconfirm_deadline = CAST(? AS BIGINT) WHERE " + kAskable + " RETURNING id",
                               Row{std::to_string(now), deadline ? std::optional<std::string>(std::to_string(*deadline)) : std::nullopt,
                                   due.event_key, ask_moment, ask_moment});
          for (const auto& r : ids) {
            const std::int64_t id = std::stoll(r[0].value_or("0"));
            history(*db, id, AttendeeState::confirmed, now, "asked to reconfirm");
            // Keyed by the ask too: a new holder of a transferred place, or everyone after a move, is asked again.
            db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at) "
                      "VALUES ('reconfirm_request', ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT))",
                      Row{due.event_key, std::to_string(id),
                          "reconfirm_request:" + std::to_string(id) + ":" + std::to_string(now), std::to_string(now)});
          }
          return static_cast<std::int64_t>(ids.size());
        },
        false);
  }
  return asked;
}

std::int64_t SqlStore::release_unreconfirmed(UnixSeconds now) {
  auto db = pool_.acquire();
  std::int64_t released = 0;
  const std::string n = std::to_string(now);
  // Those asked, told (their question went out at least an hour before their own deadline), silent
  // since, past that deadline, not erased; at events with a capacity (nobody waits elsewhere) that
  // have not started and are not cancelled.
  const std::string unanswered =
      "r.state = 'confirmed' AND r.reconfirmed_at IS NULL AND r.erased_at IS NULL AND r.reconfirm_deadline IS NOT NULL "
      "AND r.reconfirm_deadline <= CAST(? AS BIGINT) AND EXISTS (SELECT 1 FROM outbox o WHERE o.registration_id = r.id "
      "AND o.kind = 'reconfirm_request' AND o.state = 'sent' AND o.created_at >= r.reconfirm_asked_at "
      "AND o.sent_at <= r.reconfirm_deadline - 3600)";
  std::vector<std::string> keys;
  for (const auto& row : db->query("SELECT DISTINCT r.event_key FROM registrations r JOIN events e ON e.key = r.event_key "
                                   "JOIN event_counters c ON c.event_key = r.event_key WHERE " + unanswered +
                                       " AND e.status = 'published' AND e.starts_at > CAST(? AS BIGINT) AND c.capacity IS NOT NULL "
                                       "ORDER BY r.event_key",
                                   Row{n, n}))
    keys.push_back(row[0].value_or(""));
  for (const auto& key : keys) {
    released += in_write_transaction(
        *db,
        [&] {
          lock_counter(*db, key);
          std::int64_t count = 0;
          // Re-read under the lock: an answer, a cancellation or a transfer that committed meanwhile wins.
          for (const auto& r : db->query("SELECT r.id FROM registrations r WHERE r.event_key = ? AND " + unanswered + " ORDER BY r.id",
                                         Row{key, n})) {
            auto g = registration_where(*db, "id = ?", Row{r[0]});
            if (!g || g->state != AttendeeState::confirmed || g->reconfirmed_at) continue;
            move_registration(*db, *g, AttendeeState::cancelled, now, "not reconfirmed");
            db->query("UPDATE event_counters SET confirmed = confirmed - 1 WHERE event_key = ?", Row{g->event_key});
            record_outbox(*db, "reconfirm_released", g->event_key, g->id, now);
            ++count;
          }
          if (count > 0) fill_places(*db, key, now);
          return count;
        },
        false);
  }
  return released;
}

ReconfirmOutcome SqlStore::reconfirm(const std::string& token_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        ReconfirmOutcome out;
        auto found = registration_where(*db, "token_hash = ?", Row{token_hash});
        if (!found) return out;
        lock_counter(*db, found->event_key);
        // Re-read under the lock, by id and token (a transfer or a release may have committed meanwhile).
        auto g = registration_where(*db, "id = ? AND token_hash = ?", Row{std::to_string(found->id), token_hash});
        if (!g) return out;
        const auto status = db->query("SELECT status FROM events WHERE key = ?", Row{g->event_key});
        const bool cancelled_event = status.empty() || status[0][0].value_or("") == "cancelled";
        if (g->state != AttendeeState::confirmed || g->erased_at || cancelled_event)
          out.result = ReconfirmAnswer::not_confirmed;
        else if (g->reconfirmed_at) out.result = ReconfirmAnswer::already_reconfirmed;
        else if (!g->reconfirm_asked_at) out.result = ReconfirmAnswer::not_asked;
        else {
          db->query("UPDATE registrations SET reconfirmed_at = CAST(? AS BIGINT), updated_at = CAST(? AS BIGINT) "
                    "WHERE id = CAST(? AS BIGINT)",
                    Row{std::to_string(now), std::to_string(now), std::to_string(g->id)});
          history(*db, g->id, AttendeeState::confirmed, now, "reconfirmed");
          out.result = ReconfirmAnswer::reconfirmed;
        }
        out.registration = *registration_where(*db, "id = ?", Row{std::to_string(g->id)}, true);
        return out;
      },
      false);
}

}  // namespace marquee
