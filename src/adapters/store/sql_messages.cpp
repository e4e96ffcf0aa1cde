// Attendee messages of SqlStore (ports/message_store.hpp): the message rows,
// the audience read and filtered by core in_audience, and the send that
// writes every recipient's outbox row in the transaction marking it sent.
#include <set>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

const std::string kMessageColumns =
    "id, subject, body, event_keys, states, answers, state, send_at, recipients, created_by, created_at, sent_at, "
    "idempotency_key";

AttendeeMessage message_from(const Row& r) {
  AttendeeMessage m;
  m.id = std::stoll(r[0].value_or("0"));
  m.subject = r[1].value_or("");
  m.body = r[2].value_or("");
  for (auto& k : split_list(r[3].value_or(""), '\n')) m.audience.event_keys.push_back(std::move(k));
  m.audience.states = parse_states(r[4].value_or("")).value_or(std::vector<AttendeeState>{});
  std::string ignored;
  m.audience.answers = parse_answer_conditions(r[5].value_or(""), &ignored).value_or(decltype(m.audience.answers){});
  auto state = parse_message_state(r[6].value_or(""));
  if (!state) throw StoreError("attendee_messages.state: unknown value '" + r[6].value_or("") + "'");
  m.state = *state;
  m.send_at = std::stoll(r[7].value_or("0"));
  m.recipients = opt_int(r[8]);
  m.created_by = r[9].value_or("");
  m.created_at = std::stoll(r[10].value_or("0"));
  m.sent_at = opt_int(r[11]);
  m.idempotency_key = r[12].value_or("");
  return m;
}

// Registrations of the audience's events in its states: (id, opted out, has an
// e-mail), in id order, already filtered by the answer conditions.
struct Candidate {
  std::int64_t id = 0;
  bool opted_out = false;
  std::string email;  ///< "" once erased
};

std::vector<Candidate> audience_of(SqlConnection& db, const MessageAudience& a) {
  std::vector<Candidate> out;
  if (a.event_keys.empty() || a.states.empty()) return out;
  Row params(a.event_keys.begin(), a.event_keys.end());
  for (auto s : a.states) params.emplace_back(std::string(to_string(s)));
  for (const auto& r : db.query("SELECT id, state, answers, messages_opted_out_at, email FROM registrations "
                                "WHERE event_key IN (" + placeholders(a.event_keys.size()) + ") AND state IN (" +
                                    placeholders(a.states.size()) + ") ORDER BY id",
                                params)) {
    auto state = parse_attendee_state(r[1].value_or(""));
    if (!state || !in_audience(a, *state, decode_tab_lines(r[2].value_or("")))) continue;
    out.push_back(Candidate{std::stoll(r[0].value_or("0")), r[3].has_value(), r[4].value_or("")});
  }
  return out;
}

}  // namespace

std::pair<std::int64_t, bool> SqlStore::create_message(const AttendeeMessage& m, const AuditEntry& audit) {
  auto db = pool_.acquire();
  const std::optional<std::string> key =
      m.idempotency_key.empty() ? std::nullopt : std::optional<std::string>(m.idempotency_key);
  auto existing = [&]() -> std::optional<std::int64_t> {
    if (!key) return std::nullopt;
    auto rows = db->query("SELECT id FROM attendee_messages WHERE idempotency_key = ?", Row{key});
    if (rows.empty()) return std::nullopt;
    return std::stoll(rows.front()[0].value_or("0"));
  };
  if (auto id = existing()) return {*id, false};
  auto made = in_write_transaction(
      *db,
      [&]() -> std::optional<std::int64_t> {
        // A twin request that got in first wins the key; this one then writes nothing.
        auto rows = db->query("INSERT INTO attendee_messages (subject, body, event_keys, states, answers, state, send_at, "
                              "idempotency_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'scheduled', "
                              "CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT)) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                              Row{m.subject, m.body, join(m.audience.event_keys, "\n"), format_states(m.audience.states),
                                  format_answer_conditions(m.audience.answers), std::to_string(m.send_at), key, m.created_by,
                                  std::to_string(m.created_at)});
        if (rows.empty()) return std::nullopt;
        const std::int64_t id = std::stoll(rows.at(0)[0].value_or("0"));
        AuditEntry a = audit;
        a.target = "message " + std::to_string(id);
        insert_audit(*db, a);
        return id;
      },
      false);
  if (made) return {*made, true};
  if (auto id = existing()) return {*id, false};
  throw StoreError("attendee_messages: the idempotency key was taken, then not found");
}

std::optional<AttendeeMessage> SqlStore::find_message(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kMessageColumns + " FROM attendee_messages WHERE id = CAST(? AS BIGINT)",
                        Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return message_from(rows.front());
}

std::vector<AttendeeMessage> SqlStore::list_messages(int limit) {
  auto db = pool_.acquire();
  std::vector<AttendeeMessage> out;
  for (const auto& r : db->query("SELECT " + kMessageColumns + " FROM attendee_messages ORDER BY id DESC LIMIT " +
                                 std::to_string(std::max(1, limit))))
    out.push_back(message_from(r));
  return out;
}

bool SqlStore::cancel_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        (void)now;
        if (db->query("UPDATE attendee_messages SET state = 'cancelled' WHERE id = CAST(? AS BIGINT) "
                      "AND state = 'scheduled' RETURNING id",
                      Row{std::to_string(id)})
                .empty())
          return false;
        insert_audit(*db, audit);
        return true;
      },
      false);
}

std::vector<std::int64_t> SqlStore::due_messages(UnixSeconds now) {
  auto db = pool_.acquire();
  std::vector<std::int64_t> out;
  for (const auto& r : db->query("SELECT id FROM attendee_messages WHERE state = 'scheduled' AND send_at <= CAST(? AS BIGINT) "
                                 "ORDER BY send_at, id",
                                 Row{std::to_string(now)}))
    out.push_back(std::stoll(r[0].value_or("0")));
  return out;
}

std::optional<std::int64_t> SqlStore::send_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&]() -> std::optional<std::int64_t> {
        const std::string n = std::to_string(now), mid = std::to_string(id);
        // Taking the row first: a second instance waits here, then finds it sent.
        auto taken = db->query("UPDATE attendee_messages SET state = 'sent', sent_at = CAST(? AS BIGINT) "
                               "WHERE id = CAST(? AS BIGINT) AND state = 'scheduled' AND send_at <= CAST(? AS BIGINT) "
                               "RETURNING " + kMessageColumns,
                               Row{n, mid, n});
        if (taken.empty()) return std::nullopt;
        const AttendeeMessage m = message_from(taken.front());
        std::vector<std::string> ids;
        for (const auto& c : audience_of(*db, m.audience))
          if (!c.email.empty() && !c.opted_out) ids.push_back(std::to_string(c.id));
        std::int64_t written = 0;
        constexpr std::size_t kChunk = 500;
        for (std::size_t start = 0; start < ids.size(); start += kChunk) {
          const std::size_t count = std::min(kChunk, ids.size() - start);
          Row params{mid, n, n, n, mid};
          params.insert(params.end(), ids.begin() + static_cast<std::ptrdiff_t>(start),
                        ids.begin() + static_cast<std::ptrdiff_t>(start + count));
          written += static_cast<std::int64_t>(
              db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, due_at, state, "
                        "updated_at, message_id) SELECT 'attendee_message', r.event_key, r.id, "
                        "'attendee_message:' || CAST(? AS TEXT) || ':' || CAST(r.id AS TEXT), CAST(? AS BIGINT), "
                        "CAST(? AS BIGINT), 'pending', CAST(? AS BIGINT), CAST(? AS BIGINT) FROM registrations r "
                        "WHERE r.id IN (" + placeholders(count) + ") ORDER BY r.id ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
                        params)
                  .size());
        }
        db->query("UPDATE attendee_messages SET recipients = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT)",
                  Row{std::to_string(written), mid});
        AuditEntry a = audit;
        a.after += (a.after.empty() ? "" : "; ") + count_of(written, "recipient", "recipients");
        insert_audit(*db, a);
        return written;
      },
      false);
}

AudienceCount SqlStore::count_audience(const MessageAudience& a) {
  auto db = pool_.acquire();
  AudienceCount out;
  std::set<std::string> people;
  for (const auto& c : audience_of(*db, a)) {
    if (c.email.empty()) ++out.without_email;
    else if (c.opted_out) ++out.opted_out;
    else {
      ++out.recipients;
      people.insert(c.email);
      if (!out.first_recipient) out.first_recipient = c.id;
    }
  }
  out.people = static_cast<std::int64_t>(people.size());
  return out;
}

bool SqlStore::set_messages_opt_out(std::int64_t registration_id, bool opted_out, UnixSeconds now) {
  auto db = pool_.acquire();
  const std::string id = std::to_string(registration_id);
  auto rows = opted_out
                  ? db->query("UPDATE registrations SET messages_opted_out_at = COALESCE(messages_opted_out_at, CAST(? AS BIGINT)) "
                              "WHERE id = CAST(? AS BIGINT) RETURNING id",
                              Row{std::to_string(now), id})
                  : db->query("UPDATE registrations SET messages_opted_out_at = NULL WHERE id = CAST(? AS BIGINT) RETURNING id",
                              Row{id});
  return !rows.empty();
}

bool SqlStore::messages_opted_out(std::int64_t registration_id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT messages_opted_out_at FROM registrations WHERE id = CAST(? AS BIGINT)",
                        Row{std::to_string(registration_id)});
  return !rows.empty() && rows.front()[0].has_value();
}

}  // namespace marquee
