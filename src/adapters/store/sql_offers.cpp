// Waiting-list offers of SqlStore (issue 21): the promotion rule that fills
// freed places, offers of held places, their answers, expiry and offers by
// hand. Every change runs under the event's counter lock (lock_counter), the
// lock every registration takes first, and keeps event_counters.offered equal
// to the event's open offers; the counter's CHECK keeps confirmed + offered
// within the capacity whatever happens here.
#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

const std::string kOfferColumns = "id, event_key, registration_id, state, offered_at, expires_at, answered_at, actor";

PlaceOffer offer_from_row(const Row& r) {
  PlaceOffer o;
  o.id = std::stoll(r[0].value_or("0"));
  o.event_key = r[1].value_or("");
  o.registration_id = std::stoll(r[2].value_or("0"));
  auto state = parse_offer_state(r[3].value_or(""));
  if (!state) throw StoreError("place_offers.state: unknown value '" + r[3].value_or("") + "'");
  o.state = *state;
  o.offered_at = std::stoll(r[4].value_or("0"));
  o.expires_at = std::stoll(r[5].value_or("0"));
  o.answered_at = opt_int(r[6]);
  o.actor = r[7].value_or("");
  return o;
}

std::optional<PlaceOffer> open_offer_in(SqlConnection& db, std::int64_t registration_id) {
  auto rows = db.query("SELECT " + kOfferColumns + " FROM place_offers WHERE registration_id = CAST(? AS BIGINT) "
                       "AND state = 'open'",
                       Row{std::to_string(registration_id)});
  if (rows.empty()) return std::nullopt;
  return offer_from_row(rows[0]);
}

EventOperations operations_in(SqlConnection& db, const std::string& event_key) {
  EventOperations ops;
  auto rows = db.query("SELECT promotion, offer_hours, transfers, reminder_offsets, reconfirm_hours, reconfirm_release_hours, "
                       "overbook_percent, door_release_minutes FROM event_operations WHERE event_key = ?",
                       Row{event_key});
  if (rows.empty()) return ops;
  ops.promotion = parse_promotion(rows[0][0].value_or("")).value_or(Promotion::automatic);
  ops.offer_hours = static_cast<int>(std::stoll(rows[0][1].value_or("12")));
  ops.transfers = rows[0][2] && (*rows[0][2] == db.true_text() || *rows[0][2] == "1");
  ops.reminder_offsets = rows[0][3];
  if (auto h = opt_int(rows[0][4])) ops.reconfirm_hours = static_cast<int>(*h);
  if (auto h = opt_int(rows[0][5])) ops.reconfirm_release_hours = static_cast<int>(*h);
  ops.overbook_percent = static_cast<int>(opt_int(rows[0][6]).value_or(0));
  if (auto m = opt_int(rows[0][7])) ops.door_release_minutes = static_cast<int>(*m);
  return ops;
}

// Opens an offer of a held place to waitlisted `g` until `expires_at`: the
// offer row, the held place on the counter, a history line and the message.
PlaceOffer open_offer_for(SqlConnection& db, const Registration& g, UnixSeconds now, UnixSeconds expires_at,
                          const std::string& actor) {
  auto rows = db.query("INSERT INTO place_offers (event_key, registration_id, state, offered_at, expires_at, actor) "
                       "VALUES (?, CAST(? AS BIGINT), 'open', CAST(? AS BIGINT), CAST(? AS BIGINT), ?) RETURNING " +
                           kOfferColumns,
                       Row{g.event_key, std::to_string(g.id), std::to_string(now), std::to_string(expires_at), actor});
  PlaceOffer o = offer_from_row(rows.at(0));
  db.query("UPDATE event_counters SET offered = offered + 1 WHERE event_key = ?", Row{g.event_key});
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) "
           "VALUES (CAST(? AS BIGINT), 'waitlisted', 'waitlisted', CAST(? AS BIGINT), ?)",
           Row{std::to_string(g.id), std::to_string(now), actor + ": place offered"});
  record_outbox(db, "place_offered", g.event_key, g.id, now, o.id);
  return o;
}

// Marks `o` as `to` (from open) at `now`; false when it was no longer open.
bool close_offer_row(SqlConnection& db, const PlaceOffer& o, OfferState to, UnixSeconds now) {
  return !db.query("UPDATE place_offers SET state = ?, answered_at = CAST(? AS BIGINT) "
                   "WHERE id = CAST(? AS BIGINT) AND state = 'open' RETURNING id",
                   Row{std::string(to_string(to)), std::to_string(now), std::to_string(o.id)})
              .empty();
}

// Expires open offer `o` of waitlisted `g`: the registration leaves the
// waiting list and is told. The caller fills the freed place.
void expire_one(SqlConnection& db, const Registration& g, const PlaceOffer& o, UnixSeconds now) {
  if (!close_offer_row(db, o, OfferState::expired, now)) return;
  move_registration(db, g, AttendeeState::cancelled, now, "offer expired");
  db.query("UPDATE event_counters SET offered = offered - 1, waitlisted = waitlisted - 1 WHERE event_key = ?",
           Row{g.event_key});
  record_outbox(db, "offer_expired", g.event_key, g.id, now, o.id);
}

struct EventTiming {
  UnixSeconds starts_at = 0;
  bool cancelled = false;
};

std::optional<EventTiming> event_timing(SqlConnection& db, const std::string& event_key) {
  auto rows = db.query("SELECT starts_at, status FROM events WHERE key = ?", Row{event_key});
  if (rows.empty()) return std::nullopt;
  return EventTiming{std::stoll(rows[0][0].value_or("0")), rows[0][1].value_or("") == "cancelled"};
}

// The next person waiting without an open offer; `told`: only those who can
// be told of an offer (personal data not erased).
std::string next_waiting(bool told) {
  return std::string("event_key = ? AND state = 'waitlisted' ") + (told ? "AND erased_at IS NULL " : "") +
         "AND NOT EXISTS (SELECT 1 FROM place_offers o WHERE o.registration_id = registrations.id "
         "AND o.state = 'open') ORDER BY id LIMIT 1";
}

// The answer to an offer (accept or decline), shared: finds the registration,
// locks its event, expires a late offer, else calls `answer`.
template <typename Answer>
OfferOutcome answer_offer(SqlConnection& db, const std::string& token_hash, UnixSeconds now, Answer&& answer) {
  OfferOutcome out;
  auto found = registration_where(db, "token_hash = ?", Row{token_hash});
  if (!found) return out;
  lock_counter(db, found->event_key);
  // Re-read under the lock, by id and token: a transfer that committed meanwhile gave the row another token.
  auto again = registration_where(db, "id = ? AND token_hash = ?", Row{std::to_string(found->id), token_hash});
  if (!again) return out;
  Registration g = *again;
  out.result = OfferAnswer::no_offer;
  if (auto o = open_offer_in(db, g.id); o && g.state == AttendeeState::waitlisted) {
    if (!offer_acceptable(*o, now)) {
      expire_one(db, g, *o, now);
      fill_places(db, g.event_key, now);
      out.result = OfferAnswer::expired;
      o->state = OfferState::expired;
    } else {
      out.result = answer(g, *o);
    }
    o->answered_at = now;
    out.offer = o;
  }
  out.registration = *registration_where(db, "id = ?", Row{std::to_string(g.id)}, true);
  return out;
}

}  // namespace

bool close_open_offer(SqlConnection& db, std::int64_t registration_id, const std::string& event_key, OfferState to,
                      UnixSeconds now) {
  auto o = open_offer_in(db, registration_id);
  if (!o || !close_offer_row(db, *o, to, now)) return false;
  db.query("UPDATE event_counters SET offered = offered - 1 WHERE event_key = ?", Row{event_key});
  return true;
}

FilledPlaces fill_places(SqlConnection& db, const std::string& event_key, UnixSeconds now) {
  FilledPlaces out;
  const EventOperations ops = operations_in(db, event_key);
  const auto timing = event_timing(db, event_key);
  if (timing && timing->cancelled) return out;  // nobody is given a place at a cancelled event
  // From the door release time on, free places are for waiting-list tickets scanned at the door, not by e-mail.
  if (timing && ops.door_release_minutes && now >= timing->starts_at + static_cast<UnixSeconds>(*ops.door_release_minutes) * 60)
    return out;
  for (;;) {
    auto counts = lock_counter(db, event_key);
    if (!counts || counts->waitlisted == 0 || (counts->capacity && counts->taken() >= *counts->capacity)) break;
    // Unlimited capacity: there is room for everyone, nothing to hold.
    const bool confirm = ops.promotion == Promotion::automatic || !counts->capacity;
    auto next = registration_where(db, next_waiting(!confirm), Row{event_key});
    if (!next) break;
    if (confirm) {
      move_registration(db, *next, AttendeeState::confirmed, now, "promotion");
      db.query("UPDATE event_counters SET confirmed = confirmed + 1, waitlisted = waitlisted - 1 WHERE event_key = ?",
               Row{event_key});
      record_outbox(db, "waitlist_promoted", event_key, next->id, now);
      out.promoted.push_back(next->id);
      continue;
    }
    if (!timing) break;
    const auto expires = offer_expiry(now, timing->starts_at, ops.offer_hours);
    if (!expires) break;  // started: no more offers
    out.offered.push_back(open_offer_for(db, *next, now, *expires, "promotion").id);
  }
  return out;
}

void settle_offers(SqlConnection& db, const Event& e, UnixSeconds now) {
  const std::string& event_key = e.key;
  const bool cancelled = e.status == EventStatus::cancelled;
  db.query("UPDATE place_offers SET expires_at = CAST(? AS BIGINT) WHERE event_key = ? AND state = 'open' "
           "AND expires_at > CAST(? AS BIGINT)",
           Row{std::to_string(e.starts_at), event_key, std::to_string(e.starts_at)});
  const auto limit = place_limit_of(db, event_key, e.capacity);
  if (!limit && !cancelled) return;
  for (;;) {
    auto counts = lock_counter(db, event_key);
    if (!counts || counts->offered == 0 || (!cancelled && counts->taken() <= *limit)) return;
    auto rows = db.query("SELECT " + kOfferColumns + " FROM place_offers WHERE event_key = ? AND state = 'open' "
                         "ORDER BY id DESC LIMIT 1",
                         Row{event_key});
    if (rows.empty()) throw StoreError("event '" + event_key + "': the counter holds offers that do not exist");
    const PlaceOffer o = offer_from_row(rows[0]);
    close_open_offer(db, o.registration_id, event_key, OfferState::withdrawn, now);
    db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) "
             "VALUES (CAST(? AS BIGINT), 'waitlisted', 'waitlisted', CAST(? AS BIGINT), ?)",
             Row{std::to_string(o.registration_id), std::to_string(now),
                 cancelled ? "offer withdrawn: event cancelled" : "offer withdrawn: capacity lowered"});
    record_outbox(db, "offer_withdrawn", event_key, o.registration_id, now, o.id);
  }
}

std::optional<std::int64_t> place_limit_of(SqlConnection& db, const std::string& event_key,
                                          std::optional<std::int64_t> capacity) {
  if (!capacity) return std::nullopt;
  const auto rows = db.query("SELECT overbook_percent FROM event_operations WHERE event_key = ?", Row{event_key});
  return place_limit(capacity, rows.empty() ? 0 : static_cast<int>(opt_int(rows[0][0]).value_or(0)));
}

EventOperations SqlStore::event_operations(const std::string& event_key) {
  auto db = pool_.acquire();
  return operations_in(*db, event_key);
}

std::map<std::string, int> SqlStore::overbook_percents() {
  auto db = pool_.acquire();
  std::map<std::string, int> out;
  for (const auto& r : db->query("SELECT event_key, overbook_percent FROM event_operations WHERE overbook_percent > 0"))
    out.emplace(r[0].value_or(""), static_cast<int>(opt_int(r[1]).value_or(0)));
  return out;
}

bool SqlStore::set_event_operations(const std::string& event_key, const EventOperations& ops, UnixSeconds now,
                                    const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        if (!lock_counter(*db, event_key) || !event_timing(*db, event_key)) return false;
        auto hours = [](const std::optional<int>& h) {
          return h ? std::optional<std::string>(std::to_string(*h)) : std::nullopt;
        };
        db->query("INSERT INTO event_operations (event_key, promotion, offer_hours, transfers, reminder_offsets, updated_at, "
                  "reconfirm_hours, reconfirm_release_hours, overbook_percent, door_release_minutes) "
                  "VALUES (?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "
                  "CAST(? AS BIGINT)) "
                  "ON CONFLICT (event_key) DO UPDATE SET "
                  "promotion = excluded.promotion, offer_hours = excluded.offer_hours, transfers = excluded.transfers, "
                  "reminder_offsets = excluded.reminder_offsets, updated_at = excluded.updated_at, "
                  "reconfirm_hours = excluded.reconfirm_hours, reconfirm_release_hours = excluded.reconfirm_release_hours, "
                  "overbook_percent = excluded.overbook_percent, door_release_minutes = excluded.door_release_minutes",
                  Row{event_key, std::string(to_string(ops.promotion)), std::to_string(ops.offer_hours),
                      std::string(ops.transfers ? "1" : "0"),  // boolean input on PostgreSQL, integer on SQLite
                      ops.reminder_offsets, std::to_string(now), hours(ops.reconfirm_hours), hours(ops.reconfirm_release_hours),
                      std::to_string(ops.overbook_percent), hours(ops.door_release_minutes)});
        // The place limit follows the overbooking: never below the confirmed places (nothing is
        // saved then), open offers beyond it withdrawn, new room given to the waiting list below.
        auto ev = db->query(std::string("SELECT ") + kEventColumns + " FROM events WHERE key = ?", Row{event_key});
        const Event e = from_row(ev.at(0), db->true_text());
        const auto counts = lock_counter(*db, event_key);
        const auto limit = place_limit(e.capacity, ops.overbook_percent);
        if (limit && counts && *limit < counts->confirmed)
          throw CapacityBelowConfirmed("event '" + event_key + "': " + std::to_string(ops.overbook_percent) +
                                       " % overbooking allows " + std::to_string(*limit) + " places, below its " +
                                       std::to_string(counts->confirmed) + " confirmed registrations");
        settle_offers(*db, e, now);
        db->query("UPDATE event_counters SET capacity = CAST(? AS BIGINT) WHERE event_key = ?",
                  Row{limit ? std::optional<std::string>(std::to_string(*limit)) : std::nullopt, event_key});
        insert_audit(*db, audit);
        fill_places(*db, event_key, now);
        return true;
      },
      false);
}

OfferOutcome SqlStore::accept_offer(const std::string& token_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        return answer_offer(*db, token_hash, now, [&](const Registration& g, PlaceOffer& o) {
          close_offer_row(*db, o, OfferState::accepted, now);
          o.state = OfferState::accepted;
          move_registration(*db, g, AttendeeState::confirmed, now, "offer accepted");
          db->query("UPDATE event_counters SET confirmed = confirmed + 1, offered = offered - 1, "
                    "waitlisted = waitlisted - 1 WHERE event_key = ?",
                    Row{g.event_key});
          record_outbox(*db, "waitlist_promoted", g.event_key, g.id, now);
          return OfferAnswer::accepted;
        });
      },
      false);
}

OfferOutcome SqlStore::decline_offer(const std::string& token_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        return answer_offer(*db, token_hash, now, [&](const Registration& g, PlaceOffer& o) {
          close_offer_row(*db, o, OfferState::declined, now);
          o.state = OfferState::declined;
          move_registration(*db, g, AttendeeState::cancelled, now, "offer declined");
          db->query("UPDATE event_counters SET offered = offered - 1, waitlisted = waitlisted - 1 WHERE event_key = ?",
                    Row{g.event_key});
          record_outbox(*db, "registration_cancelled", g.event_key, g.id, now);
          fill_places(*db, g.event_key, now);
          return OfferAnswer::declined;
        });
      },
      false);
}

std::int64_t SqlStore::expire_offers(UnixSeconds now) {
  auto db = pool_.acquire();
  std::vector<std::string> events;
  for (const auto& r : db->query("SELECT DISTINCT event_key FROM place_offers WHERE state = 'open' "
                                 "AND expires_at <= CAST(? AS BIGINT) ORDER BY event_key",
                                 Row{std::to_string(now)}))
    events.push_back(r[0].value_or(""));
  std::int64_t expired = 0;
  for (const auto& key : events)
    expired += in_write_transaction(
        *db,
        [&] {
          lock_counter(*db, key);
          std::int64_t n = 0;
          for (const auto& r : db->query("SELECT " + kOfferColumns + " FROM place_offers WHERE event_key = ? "
                                         "AND state = 'open' AND expires_at <= CAST(? AS BIGINT) ORDER BY id",
                                         Row{key, std::to_string(now)})) {
            const PlaceOffer o = offer_from_row(r);
            auto g = registration_where(*db, "id = ?", Row{std::to_string(o.registration_id)});
            if (!g || g->state != AttendeeState::waitlisted) continue;
            expire_one(*db, *g, o, now);
            ++n;
          }
          fill_places(*db, key, now);
          return n;
        },
        false);
  return expired;
}

HandOffer SqlStore::offer_place(std::int64_t registration_id, bool add_place, UnixSeconds now, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    HandOffer out;
    auto found = registration_where(*db, "id = ?", Row{std::to_string(registration_id)});
    if (!found) return out;
    auto counts = lock_counter(*db, found->event_key);
    Registration g = *registration_where(*db, "id = ?", Row{std::to_string(registration_id)});
    out.capacity = counts ? counts->capacity : std::nullopt;
    if (g.state != AttendeeState::waitlisted) {
      out.result = HandOfferResult::not_waitlisted;
      return out;
    }
    if (open_offer_in(*db, g.id)) {
      out.result = HandOfferResult::already_offered;
      return out;
    }
    const auto timing = event_timing(*db, g.event_key);
    const auto ops = operations_in(*db, g.event_key);
    const auto expires = timing && !timing->cancelled ? offer_expiry(now, timing->starts_at, ops.offer_hours)
                                                      : std::nullopt;
    if (!counts || !expires) {
      out.result = HandOfferResult::closed;
      return out;
    }
    if (counts->capacity && counts->taken() >= *counts->capacity) {
      if (!add_place) {
        out.result = HandOfferResult::no_free_place;
        return out;
      }
      db->query("UPDATE events SET capacity = capacity + 1, version = version + 1, updated_at = CAST(? AS BIGINT) "
                "WHERE key = ?",
                Row{std::to_string(now), g.event_key});
      // The room gains a place; the place limit follows it (with the event's overbooking, at least one more).
      const auto room = db->query("SELECT capacity FROM events WHERE key = ?", Row{g.event_key});
      const auto capacity = room.empty() ? std::nullopt : opt_int(room[0][0]);
      const auto limit = std::max(*counts->capacity + 1, place_limit_of(*db, g.event_key, capacity).value_or(0));
      db->query("UPDATE event_counters SET capacity = CAST(? AS BIGINT) WHERE event_key = ?",
                Row{std::to_string(limit), g.event_key});
      bump_generation(*db);
      out.capacity = capacity;  // the room's new capacity, as the operator reads it
      out.place_added = true;
    }
    out.offer = open_offer_for(*db, g, now, *expires, audit.actor);
    AuditEntry a = audit;
    if (!a.at) a.at = now;
    if (a.target.empty()) a.target = "registration " + std::to_string(g.id);
    if (a.after.empty())
      a.after = "offer " + std::to_string(out.offer->id) + " until " + format_utc(*expires) +
                (out.place_added ? "; capacity raised to " + std::to_string(*out.capacity) : std::string());
    insert_audit(*db, a);
    out.result = HandOfferResult::offered;
    return out;
  });
}

std::map<std::string, std::string> SqlStore::reminder_overrides() {
  auto db = pool_.acquire();
  std::map<std::string, std::string> out;
  for (const auto& r : db->query("SELECT event_key, reminder_offsets FROM event_operations WHERE reminder_offsets IS NOT NULL"))
    out[r[0].value_or("")] = r[1].value_or("");
  return out;
}

std::vector<PlaceOffer> SqlStore::list_offers(const std::string& event_key) {
  auto db = pool_.acquire();
  std::vector<PlaceOffer> out;
  for (const auto& r :
       db->query("SELECT " + kOfferColumns + " FROM place_offers WHERE event_key = ? ORDER BY id DESC", Row{event_key}))
    out.push_back(offer_from_row(r));
  return out;
}

std::optional<PlaceOffer> SqlStore::open_offer(std::int64_t registration_id) {
  auto db = pool_.acquire();
  return open_offer_in(*db, registration_id);
}

}  // namespace marquee
