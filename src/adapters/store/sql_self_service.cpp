// Self-service changes of SqlStore (issue 21): an attendee changes their name
// and answers, or passes their place to another person. Both lock the event's
// counter row first, like every change to a registration (cancel, check-in,
// offer answers, erasure), and re-read the row by id *and* token under it: a
// request with a token a transfer replaced meanwhile finds nothing.
#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

struct Holder {
  Registration registration;
  bool event_open = false;  ///< the event is not cancelled and has not started
};

// The registration with this token, re-read under its event's counter lock.
std::optional<Holder> lock_holder(SqlConnection& db, const std::string& token_hash, UnixSeconds now) {
  auto found = registration_where(db, "token_hash = ?", Row{token_hash});
  if (!found) return std::nullopt;
  lock_counter(db, found->event_key);
  auto again = registration_where(db, "id = ? AND token_hash = ?", Row{std::to_string(found->id), token_hash});
  if (!again) return std::nullopt;
  Holder h{*again};
  auto ev = db.query("SELECT status, starts_at FROM events WHERE key = ?", Row{h.registration.event_key});
  h.event_open = !ev.empty() && ev[0][0].value_or("") == "published" && now < std::stoll(ev[0][1].value_or("0"));
  return h;
}

bool holds_or_waits(const Registration& g) {
  return !g.erased_at && (g.state == AttendeeState::confirmed || g.state == AttendeeState::waitlisted);
}

void note_move(SqlConnection& db, const Registration& g, UnixSeconds now, const std::string& actor) {
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) "
           "VALUES (CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), ?)",
           Row{std::to_string(g.id), std::string(to_string(g.state)), std::string(to_string(g.state)),
               std::to_string(now), actor});
}

}  // namespace

DetailsOutcome SqlStore::change_details(const std::string& token_hash, const std::string& name, const Answers& answers,
                                        UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        DetailsOutcome out;
        auto h = lock_holder(*db, token_hash, now);
        if (!h) return out;
        const Registration& g = h->registration;
        if (!holds_or_waits(g) || !h->event_open) out.result = DetailsResult::closed;
        else if (g.name == name && g.answers == answers) out.result = DetailsResult::unchanged;
        else {
          db->query("UPDATE registrations SET name = ?, answers = ?, updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT)",
                    Row{name, encode_tab_lines(answers), std::to_string(now), std::to_string(g.id)});
          note_move(*db, g, now, "attendee: details changed");
          out.result = DetailsResult::updated;
        }
        out.registration = *registration_where(*db, "id = ?", Row{std::to_string(g.id)}, true);
        return out;
      },
      false);
}

TransferOutcome SqlStore::transfer_registration(const TransferRequest& t, UnixSeconds now, const std::string& actor) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        TransferOutcome out;
        auto h = lock_holder(*db, t.token_hash, now);
        if (!h) return out;
        const Registration g = h->registration;
        auto allowed = db->query("SELECT transfers FROM event_operations WHERE event_key = ?", Row{g.event_key});
        const bool transfers = !allowed.empty() && allowed[0][0] && (*allowed[0][0] == db->true_text() || *allowed[0][0] == "1");
        if (!transfers) out.result = TransferResult::not_allowed;
        else if (!holds_or_waits(g) || !h->event_open ||
                 !db->query("SELECT 1 FROM checkin_presence WHERE registration_id = CAST(? AS BIGINT) AND entries > 0",
                            Row{std::to_string(g.id)})
                      .empty())  // admitted through a check-in list already
          out.result = TransferResult::closed;
        else if (t.email == g.email) out.result = TransferResult::same_email;
        else if (!db->query("SELECT 1 FROM registrations WHERE event_key = ? AND email = ? "
                            "AND state IN ('confirmed', 'waitlisted', 'checked_in')",
                            Row{g.event_key, t.email})
                      .empty())
          out.result = TransferResult::duplicate_email;
        else {
          const std::string id = std::to_string(g.id), at = std::to_string(now);
          out.transfer_id = std::stoll(
              db->query("INSERT INTO registration_transfers (registration_id, from_name, from_email, from_ticket_code, at) "
                        "VALUES (CAST(? AS BIGINT), ?, ?, ?, CAST(? AS BIGINT)) RETURNING id",
                        Row{id, g.name, g.email, g.ticket_code, at})
                  .at(0)[0]
                  .value_or("0"));
          db->query("UPDATE registrations SET name = ?, email = ?, answers = ?, token_hash = ?, token_sealed = ?, "
                    "ticket_code = ?, idempotency_key = NULL, request_hash = '', messages_opted_out_at = NULL, "
                    "reconfirm_asked_at = NULL, reconfirmed_at = NULL, reconfirm_deadline = NULL, "
                    "updated_at = CAST(? AS BIGINT) "
                    "WHERE id = CAST(? AS BIGINT)",
                    Row{t.name, t.email, encode_tab_lines(t.answers), t.new_token_hash, t.new_token_sealed,
                        t.new_ticket_code, at, id});
          note_move(*db, g, now, "transfer");
          const std::string tid = std::to_string(out.transfer_id);
          for (const char* kind : {"transfer_sent", "transfer_received"})
            db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, transfer_id) "
                      "VALUES (?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT))",
                      Row{std::string(kind), g.event_key, id, std::string(kind) + ":" + tid, at, tid});
          // An open waiting-list offer goes with the place: the new holder hears of it too.
          for (const auto& o : db->query("SELECT id FROM place_offers WHERE registration_id = CAST(? AS BIGINT) AND state = 'open'",
                                         Row{id}))
            db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, offer_id) "
                      "VALUES ('place_offered', ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT))",
                      Row{g.event_key, id, "place_offered:" + o[0].value_or("") + ":transfer:" + tid, at, o[0]});
          insert_audit(*db, AuditEntry{0, now, actor, "transfer", "registration " + id, "ticket " + g.ticket_code,
                                       "ticket " + t.new_ticket_code});
          out.result = TransferResult::transferred;
        }
        out.registration = *registration_where(*db, "id = ?", Row{std::to_string(g.id)}, true);
        return out;
      },
      false);
}

}  // namespace marquee
