// Outbox methods of SqlStore: claims with a lease (FOR UPDATE SKIP LOCKED on
// PostgreSQL), and the delivery outcomes, each guarded by the claim.
#include <algorithm>
#include <set>

#include "adapters/store/sql_store.hpp"
#include "core/reminders.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

const std::string kColumns =
    "o.id, o.kind, o.event_key, o.registration_id, o.dedup_key, o.created_at, o.sent_at, o.state, o.due_at, "
    "o.attempts, o.last_error, o.base_snapshot, o.snapshot_number, o.revision, o.alert_id, o.offer_id, o.transfer_id";


OutboxMessage message_from_row(const Row& r) {
  OutboxMessage m;
  m.id = std::stoll(r[0].value_or("0"));
  m.kind = r[1].value_or("");
  m.event_key = r[2].value_or("");
  m.registration_id = opt_int(r[3]);
  m.dedup_key = r[4].value_or("");
  m.created_at = std::stoll(r[5].value_or("0"));
  m.sent_at = opt_int(r[6]);
  m.state = r[7].value_or("");
  m.due_at = std::stoll(r[8].value_or("0"));
  m.attempts = static_cast<int>(std::stoll(r[9].value_or("0")));
  m.last_error = r[10].value_or("");
  m.base_snapshot = opt_int(r[11]);
  m.snapshot_number = opt_int(r[12]);
  m.revision = std::stoll(r[13].value_or("0"));
  m.alert_id = opt_int(r[14]);
  m.offer_id = opt_int(r[15]);
  m.transfer_id = opt_int(r[16]);
  return m;
}


// Rows `ids` with their registration's details (or their agenda alert's) and the event's SEQUENCE.
std::vector<OutboxDelivery> deliveries(SqlConnection& db, const Row& ids) {
  std::vector<OutboxDelivery> out;
  for (const auto& r : db.query("SELECT " + kColumns + ", g.name, g.email, g.token_sealed, g.state, "
                                "COALESCE(s.sequence, 0), al.email, al.state, al.confirm_sealed, al.unsubscribe_sealed, "
                                "al.agenda_sealed, ag.event_keys, g.ticket_code, po.state, po.expires_at, tr.from_name, tr.from_email, "
                                "(SELECT MAX(t2.id) FROM registration_transfers t2 WHERE t2.registration_id = o.registration_id), "
                                "o.message_id, am.subject, am.body, g.messages_opted_out_at, g.reconfirm_asked_at, g.reconfirm_deadline "
                                "FROM outbox o "
                                "LEFT JOIN registrations g ON g.id = o.registration_id "
                                "LEFT JOIN event_sequences s ON s.event_key = o.event_key "
                                "LEFT JOIN agenda_alerts al ON al.id = o.alert_id "
                                "LEFT JOIN agendas ag ON ag.token_hash = al.agenda_hash "
                                "LEFT JOIN place_offers po ON po.id = o.offer_id "
                                "LEFT JOIN registration_transfers tr ON tr.id = o.transfer_id "
                                "LEFT JOIN attendee_messages am ON am.id = o.message_id "
                                "WHERE o.id IN (" + placeholders(ids.size()) + ") ORDER BY o.due_at, o.id",
                                ids)) {
    OutboxDelivery d;
    d.message = message_from_row(r);
    d.name = r[17].value_or("");
    d.email = r[18].value_or("");
    d.token_sealed = r[19].value_or("");
    d.registration_state = r[20].value_or("");
    d.sequence = std::stoll(r[21].value_or("0"));
    d.ticket_code = r[28].value_or("");
    if (d.message.offer_id) {
      d.offer_state = r[29].value_or("");
      d.offer_expires_at = opt_int(r[30]);
    }
    d.opted_out = r[37].has_value();
    d.reconfirm_asked_at = opt_int(r[38]);
    d.reconfirm_deadline = opt_int(r[39]);
    if (auto message_id = opt_int(r[34])) {
      AttendeeMessageText text;
      text.id = *message_id;
      text.subject = r[35].value_or("");
      text.body = r[36].value_or("");
      d.attendee_message = std::move(text);
    }
    if (d.message.transfer_id)
      d.transfer_superseded = opt_int(r[33]).value_or(0) != *d.message.transfer_id;
    if (d.message.transfer_id && d.message.kind == "transfer_sent") {
      // To the one who passed the place on: their name and address, kept for this message.
      d.name = r[31].value_or("");
      d.email = r[32].value_or("");
      d.token_sealed.clear();  // the registration's link is the new holder's now
      d.ticket_code.clear();
    }
    if (d.message.alert_id) {
      AlertDelivery a;
      d.email = r[22].value_or("");  // NULL once the alert ended or its agenda was deleted
      a.state = r[23].value_or("ended");
      a.confirm_sealed = r[24].value_or("");
      a.unsubscribe_sealed = r[25].value_or("");
      a.agenda_sealed = r[26].value_or("");
      for (auto& k : split_list(r[27].value_or(""), '\n'))
        if (!k.empty()) a.followed.push_back(std::move(k));
      d.alert = std::move(a);
    }
    out.push_back(std::move(d));
  }
  return out;
}

// Once outbox row `id` (a transfer_sent) has gone out or will never go, the
// previous holder's name and address are no longer needed.
void forget_previous_holder(SqlConnection& db, std::int64_t id) {
  db.query("UPDATE registration_transfers SET from_name = '', from_email = NULL WHERE id = "
           "(SELECT transfer_id FROM outbox WHERE id = CAST(? AS BIGINT) AND kind = 'transfer_sent')",
           Row{std::to_string(id)});
}

}  // namespace

std::optional<OutboxDelivery> SqlStore::find_outbox(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = deliveries(*db, Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<OutboxDelivery> SqlStore::claim_outbox(UnixSeconds now, int limit, int lease_seconds,
                                                   const std::string& worker) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now);
  // A plain read first: an idle worker polling every second takes no write lock.
  if (db->query("SELECT 1 FROM outbox WHERE state = 'pending' AND due_at <= CAST(? AS BIGINT) "
                "AND (claimed_until IS NULL OR claimed_until < CAST(? AS BIGINT)) LIMIT 1",
                Row{n, n})
          .empty())
    return {};
  return in_write_transaction(
      *db,
      [&] {
        auto ids = db->query(std::string("UPDATE outbox SET claimed_by = ?, claimed_until = CAST(? AS BIGINT), "
                                         "attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' "
                                         "AND due_at <= CAST(? AS BIGINT) AND (claimed_until IS NULL OR claimed_until < CAST(? AS BIGINT)) "
                                         "ORDER BY due_at, id LIMIT ") +
                                 std::to_string(limit) + db->skip_locked() + ") RETURNING id",
                             Row{worker, std::to_string(now + lease_seconds), n, n});
        std::vector<OutboxDelivery> out;
        if (ids.empty()) return out;
        Row params;
        for (const auto& r : ids) params.push_back(r[0]);
        // The deliveries by key, eight tables joined: planned once (the claim above is planned for
        // its time, which tells how many rows are due and so whether to read along outbox_due).
        db->plan_generically();
        return deliveries(*db, params);
      },
      false);
}

std::int64_t SqlStore::enqueue_reminders(const std::vector<ReminderSlot>& slots, UnixSeconds now) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now);
  std::int64_t written = 0;
  // One short transaction per slot: a slot is looked at every minute while its moment is near, so
  // registrations that already have their row are passed over by an index probe before any insert.
  for (const auto& slot : slots) {
    const std::string due = std::to_string(slot.starts_at - slot.offset), offset = std::to_string(slot.offset);
    const std::string suffix = ":" + offset + ":" + std::to_string(slot.starts_at);
    written += in_write_transaction(
        *db,
        [&] {
          return static_cast<std::int64_t>(
              db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, due_at, state, updated_at) "
                        "SELECT 'reminder', r.event_key, r.id, 'reminder:' || CAST(r.id AS TEXT) || ?, CAST(? AS BIGINT), "
                        "CAST(? AS BIGINT), 'pending', CAST(? AS BIGINT) FROM registrations r "
                        "WHERE r.event_key = ? AND r.state IN ('confirmed', 'checked_in') AND r.email IS NOT NULL "
                        "AND r.created_at <= CAST(? AS BIGINT) "
                        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedup_key = 'reminder:' || CAST(r.id AS TEXT) || ?) "
                        // The same reminder sent for a start less than the window away (the event moved a little): not again.
                        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.registration_id = r.id AND o.kind = 'reminder' "
                        "AND o.state = 'sent' AND o.sent_at > CAST(? AS BIGINT) "
                        "AND o.dedup_key LIKE 'reminder:' || CAST(r.id AS TEXT) || ?) "
                        "ORDER BY r.id ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
                        Row{suffix, n, due, n, slot.event_key, due, suffix,
                            std::to_string(slot.starts_at - slot.offset - kReminderWindow), ":" + offset + ":%"})
                  .size());
        },
        false);
  }
  return written;
}

namespace {

// The body of mark_outbox_sent inside an open transaction.
bool mark_sent_in(SqlConnection& db, std::int64_t id, const std::string& worker, std::int64_t revision,
                  std::optional<std::int64_t> sent_snapshot, UnixSeconds now) {
  const std::string n = std::to_string(now);
  auto done = db.query("UPDATE outbox SET state = 'sent', sent_at = CAST(? AS BIGINT), updated_at = CAST(? AS BIGINT), "
                       "last_error = '', claimed_by = NULL, claimed_until = NULL "
                       "WHERE id = CAST(? AS BIGINT) AND claimed_by = ? AND revision = CAST(? AS BIGINT) "
                       "AND state = 'pending' RETURNING id",
                       Row{n, n, std::to_string(id), worker, std::to_string(revision)});
  if (!done.empty()) {
    forget_previous_holder(db, id);
    return true;
  }
  // Folded while in flight: what was sent becomes the new base.
  db.query("UPDATE outbox SET base_snapshot = COALESCE(CAST(? AS BIGINT), base_snapshot), claimed_by = NULL, "
           "claimed_until = NULL, updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ?",
           Row{sent_snapshot ? std::optional<std::string>(std::to_string(*sent_snapshot)) : std::nullopt, n,
               std::to_string(id), worker});
  return false;
}

}  // namespace

bool SqlStore::mark_outbox_sent(std::int64_t id, const std::string& worker, std::int64_t revision,
                                std::optional<std::int64_t> sent_snapshot, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] { return mark_sent_in(*db, id, worker, revision, sent_snapshot, now); }, false);
}

std::vector<bool> SqlStore::mark_outbox_sent_many(const std::vector<SentMark>& marks, const std::string& worker) {
  if (marks.empty()) return {};
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        // One statement per 300 marks (900 parameters: within every SQLite's
        // limit) marks every row still claimed by `worker` at its revision;
        // the rest (a publish folded a change into them while in flight, or
        // an id repeated in `marks`) take mark_sent_in's steps, each as if alone.
        std::set<std::int64_t> sent, asked;
        for (std::size_t begin = 0; begin < marks.size(); begin += 300) {
          std::string values;
          Row params;
          for (std::size_t i = begin; i < std::min(marks.size(), begin + 300); ++i) {
            const auto& m = marks[i];
            if (!asked.insert(m.id).second) continue;  // a repeat: alone, below
            values += values.empty() ? "" : ", ";
            values += "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))";
            params.push_back(std::to_string(m.id));
            params.push_back(std::to_string(m.revision));
            params.push_back(std::to_string(m.at));
          }
          if (values.empty()) continue;
          params.push_back(worker);
          const auto done = db->query(
              "UPDATE outbox SET state = 'sent', sent_at = v.column3, updated_at = v.column3, last_error = '', "
              "claimed_by = NULL, claimed_until = NULL FROM (VALUES " + values + ") AS v "
              "WHERE outbox.id = v.column1 AND outbox.revision = v.column2 AND outbox.claimed_by = ? "
              "AND outbox.state = 'pending' RETURNING outbox.id, outbox.kind",
              params);
          for (const auto& r : done) {
            const std::int64_t id = std::stoll(r[0].value_or("0"));
            sent.insert(id);
            if (r[1].value_or("") == "transfer_sent") forget_previous_holder(*db, id);
          }
        }
        std::vector<bool> out;
        out.reserve(marks.size());
        std::set<std::int64_t> answered;
        for (const auto& m : marks) {
          const bool first = answered.insert(m.id).second;
          const bool ok = first && sent.contains(m.id);
          if (!ok) mark_sent_in(*db, m.id, worker, m.revision, m.sent_snapshot, m.at);  // the fold step, as alone
          out.push_back(ok);
        }
        return out;
      },
      false);
}

void SqlStore::reschedule_outbox(std::int64_t id, const std::string& worker, UnixSeconds due_at,
                                 const std::string& error, UnixSeconds now) {
  auto db = pool_.acquire();
  db->query("UPDATE outbox SET due_at = CAST(? AS BIGINT), last_error = ?, claimed_by = NULL, claimed_until = NULL, "
            "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ? AND state = 'pending'",
            Row{std::to_string(due_at), error, std::to_string(now), std::to_string(id), worker});
}

std::vector<OutboxBacklog> SqlStore::outbox_backlog(UnixSeconds now) {
  auto db = pool_.acquire();
  std::vector<OutboxBacklog> out;
  for (const auto& r : db->query("SELECT kind, COUNT(*), SUM(CASE WHEN due_at <= CAST(? AS BIGINT) THEN 1 ELSE 0 END), "
                                 "MIN(CASE WHEN due_at <= CAST(? AS BIGINT) THEN created_at END) FROM outbox WHERE state = 'pending' "
                                 "GROUP BY kind ORDER BY kind",
                                 Row{std::to_string(now), std::to_string(now)}))
    out.push_back({r[0].value_or(""), std::stoll(r[1].value_or("0")), std::stoll(r[2].value_or("0")),
                   std::stoll(r[3].value_or("0"))});
  return out;
}

bool SqlStore::release_outbox(std::int64_t id, const std::string& worker, UnixSeconds now) {
  auto db = pool_.acquire();
  return !db->query("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1, "
                    "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ? AND state = 'pending' "
                    "AND attempts > 0 RETURNING id",
                    Row{std::to_string(now), std::to_string(id), worker})
              .empty();
}

void SqlStore::close_outbox(std::int64_t id, const std::string& worker, const std::string& state,
                            const std::string& reason, UnixSeconds now) {
  if (state != "failed" && state != "skipped") throw StoreError("close_outbox: state must be failed or skipped");
  auto db = pool_.acquire();
  db->query("UPDATE outbox SET state = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, "
            "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ? AND state = 'pending'",
            Row{state, reason, std::to_string(now), std::to_string(id), worker});
  if (state == "skipped") forget_previous_holder(*db, id);  // a failed message may be retried: kept until then
}

bool SqlStore::retry_outbox(std::int64_t id, UnixSeconds now) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now);
  return !db->query("UPDATE outbox SET state = 'pending', due_at = CAST(? AS BIGINT), attempts = 0, "
                    "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND state = 'failed' RETURNING id",
                    Row{n, n, std::to_string(id)})
              .empty();
}

std::int64_t SqlStore::make_outbox_due(UnixSeconds now) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now);
  return static_cast<std::int64_t>(
      db->query("UPDATE outbox SET due_at = CAST(? AS BIGINT), updated_at = CAST(? AS BIGINT) "
                "WHERE state = 'pending' AND due_at > CAST(? AS BIGINT) AND kind <> 'reminder' RETURNING id",
                Row{n, n, n})
          .size());
}

OutboxCounts SqlStore::outbox_counts(UnixSeconds now) {
  auto db = pool_.acquire();
  OutboxCounts c;
  for (const auto& r : db->query("SELECT state, COUNT(*), SUM(CASE WHEN due_at <= CAST(? AS BIGINT) THEN 1 ELSE 0 END) "
                                 "FROM outbox GROUP BY state",
                                 Row{std::to_string(now)})) {
    const std::string state = r[0].value_or("");
    const std::int64_t count = std::stoll(r[1].value_or("0"));
    if (state == "pending") {
      c.pending = count;
      c.due = std::stoll(r[2].value_or("0"));
    } else if (state == "sent") c.sent = count;
    else if (state == "failed") c.failed = count;
    else if (state == "skipped") c.skipped = count;
  }
  return c;
}

std::vector<OutboxMessage> SqlStore::list_outbox() {
  auto db = pool_.acquire();
  std::vector<OutboxMessage> out;
  for (const auto& r : db->query("SELECT " + kColumns + " FROM outbox o ORDER BY o.id")) out.push_back(message_from_row(r));
  return out;
}

std::vector<OutboxMessage> SqlStore::recent_outbox(const std::string& state, int limit) {
  auto db = pool_.acquire();
  std::vector<OutboxMessage> out;
  const std::string tail = " ORDER BY o.id DESC LIMIT " + std::to_string(limit);
  auto rows = state.empty() ? db->query("SELECT " + kColumns + " FROM outbox o" + tail)
                            : db->query("SELECT " + kColumns + " FROM outbox o WHERE o.state = ?" + tail, Row{state});
  for (const auto& r : rows) out.push_back(message_from_row(r));
  return out;
}

std::map<std::string, std::int64_t> SqlStore::notifiable_counts(const std::vector<std::string>& event_keys) {
  auto db = pool_.acquire();
  std::map<std::string, std::int64_t> out;
  for (std::size_t begin = 0; begin < event_keys.size(); begin += 400) {
    Row keys(event_keys.begin() + begin, event_keys.begin() + std::min(event_keys.size(), begin + 400));
    for (const auto& r : db->query("SELECT event_key, COUNT(*) FROM registrations WHERE event_key IN (" +
                                       placeholders(keys.size()) +
                                       ") AND state IN ('confirmed', 'waitlisted') AND email IS NOT NULL GROUP BY event_key",
                                   keys))
      out[r[0].value_or("")] = std::stoll(r[1].value_or("0"));
  }
  return out;
}

std::map<std::string, std::int64_t> SqlStore::event_sequences() {
  auto db = pool_.acquire();
  std::map<std::string, std::int64_t> out;
  for (const auto& r : db->query("SELECT event_key, sequence FROM event_sequences"))
    out[r[0].value_or("")] = std::stoll(r[1].value_or("0"));
  return out;
}

std::int64_t SqlStore::purge_outbox(UnixSeconds before) {
  auto db = pool_.acquire();
  return static_cast<std::int64_t>(
      db->query("DELETE FROM outbox WHERE state IN ('sent', 'failed', 'skipped') "
                "AND (CASE WHEN updated_at > 0 THEN updated_at ELSE created_at END) < CAST(? AS BIGINT) RETURNING id",
                Row{std::to_string(before)})
          .size());
}

}  // namespace marquee
