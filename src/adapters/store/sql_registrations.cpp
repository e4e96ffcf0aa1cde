// Registration methods of SqlStore: one transaction each, the event's
// counter row locked first so that all changes to one event serialise.
#include <algorithm>
#include <set>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/event_operations.hpp"

namespace marquee {
namespace {

const std::string kRegistrationColumns =
    "id, event_key, state, name, email, answers, ticket_code, first_status, created_at, updated_at, "
    "checked_in_at, erased_at, reconfirm_asked_at, reconfirmed_at, reconfirm_deadline";
const std::string kActive = "('confirmed', 'waitlisted', 'checked_in')";

std::string select_registrations(const std::string& where) {
  return "SELECT " + kRegistrationColumns + " FROM registrations WHERE " + where;
}

std::string encode_answers(const Answers& a) { return encode_tab_lines(a); }
Answers decode_answers(const std::string& s) { return decode_tab_lines(s); }


Registration from_registration_row(const Row& r) {
  Registration g;
  g.id = std::stoll(r[0].value_or("0"));
  g.event_key = r[1].value_or("");
  auto state = parse_attendee_state(r[2].value_or(""));
  if (!state) throw StoreError("registrations.state: unknown value '" + r[2].value_or("") + "'");
  g.state = *state;
  g.name = r[3].value_or("");
  g.email = r[4].value_or("");
  g.answers = decode_answers(r[5].value_or(""));
  g.ticket_code = r[6].value_or("");
  g.first_status = static_cast<int>(std::stoll(r[7].value_or("201")));
  g.created_at = std::stoll(r[8].value_or("0"));
  g.updated_at = std::stoll(r[9].value_or("0"));
  g.checked_in_at = opt_int(r[10]);
  g.erased_at = opt_int(r[11]);
  g.reconfirm_asked_at = opt_int(r[12]);
  g.reconfirmed_at = opt_int(r[13]);
  g.reconfirm_deadline = opt_int(r[14]);
  return g;
}

void load_moves(SqlConnection& db, Registration& g) {
  g.moves.clear();
  for (const auto& r : db.query("SELECT from_state, to_state, at, actor FROM registration_moves "
                                "WHERE registration_id = ? ORDER BY id",
                                Row{std::to_string(g.id)})) {
    StateMove m;
    if (r[0]) m.from = parse_attendee_state(*r[0]);
    m.to = parse_attendee_state(r[1].value_or("")).value_or(AttendeeState::cancelled);
    m.at = std::stoll(r[2].value_or("0"));
    m.actor = r[3].value_or("");
    g.moves.push_back(std::move(m));
  }
}

}  // namespace

std::optional<Registration> registration_where(SqlConnection& db, const std::string& where, const Row& params,
                                               bool with_moves) {
  auto rows = db.query(select_registrations(where), params);
  if (rows.empty()) return std::nullopt;
  Registration g = from_registration_row(rows[0]);
  if (with_moves) load_moves(db, g);
  return g;
}

namespace {

std::optional<Registration> query_one(SqlConnection& db, const std::string& where, const Row& params,
                                      bool with_moves = false) {
  return registration_where(db, where, params, with_moves);
}

void record_move(SqlConnection& db, std::int64_t id, std::optional<AttendeeState> from, AttendeeState to,
                 UnixSeconds now, const std::string& actor) {
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) VALUES (?, ?, ?, ?, ?)",
           Row{std::to_string(id), from ? std::optional<std::string>(std::string(to_string(*from))) : std::nullopt,
               std::string(to_string(to)), std::to_string(now), actor});
}

}  // namespace

void record_outbox(SqlConnection& db, const std::string& kind, const std::string& event_key, std::int64_t id,
                   UnixSeconds now, std::optional<std::int64_t> offer_id) {
  const std::string subject = offer_id ? std::to_string(*offer_id) : std::to_string(id);
  db.query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, offer_id) "
           "VALUES (?, ?, ?, ?, ?, ?)",
           Row{kind, event_key, std::to_string(id), kind + ":" + subject, std::to_string(now),
               offer_id ? std::optional<std::string>(std::to_string(*offer_id)) : std::nullopt});
}

namespace {

const std::string kCounterColumns = "SELECT capacity, confirmed, waitlisted, offered FROM event_counters WHERE event_key = ?";

EventCounts counts_from_row(const Row& r) {
  return EventCounts{opt_int(r[0]), std::stoll(r[1].value_or("0")), std::stoll(r[2].value_or("0")),
                     std::stoll(r[3].value_or("0"))};
}

// Events' keys with what their place limits come from, followed by "= ?" or "IN (…)".
const std::string kSelectLimits =
    "SELECT e.key, e.capacity, o.overbook_percent FROM events e LEFT JOIN event_operations o ON o.event_key = e.key "
    "WHERE e.key ";

// A kSelectLimits row's place limit (core place_limit).
std::optional<std::int64_t> limit_of(const Row& r) {
  return place_limit(opt_int(r[1]), static_cast<int>(opt_int(r[2]).value_or(0)));
}

// The counts of an event without a counter row (a newly written event
// nothing has counted yet): its place limit, nothing taken; nullopt without
// the event.
std::optional<EventCounts> uncounted(SqlConnection& db, const std::string& event_key) {
  const auto ev = db.query(kSelectLimits + "= ?", Row{event_key});
  if (ev.empty()) return std::nullopt;
  return EventCounts{limit_of(ev[0]), 0, 0, 0};
}

}  // namespace

std::optional<EventCounts> lock_counter(SqlConnection& db, const std::string& event_key) {
  // A missing row is made here (a newly written event has none). On
  // PostgreSQL a transaction that made or deleted the row and has not ended
  // holds the insert until it does: then the row is locked where another
  // made it, or made here where a delete (of the event too) went first, and
  // checked against the event once more.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto rows = db.query(kCounterColumns + db.row_lock(), Row{event_key});
    if (!rows.empty()) return counts_from_row(rows[0]);
    const auto counts = uncounted(db, event_key);
    if (!counts) return std::nullopt;
    const auto made = db.query(
        "INSERT INTO event_counters (event_key, capacity) VALUES (?, CAST(? AS BIGINT)) "
        "ON CONFLICT (event_key) DO NOTHING RETURNING event_key",
        Row{event_key, counts->capacity ? std::optional<std::string>(std::to_string(*counts->capacity)) : std::nullopt});
    if (made.empty()) continue;  // another transaction's row: lock it
    if (db.query("SELECT 1 FROM events WHERE key = ?", Row{event_key}).empty()) {  // deleted meanwhile
      db.query("DELETE FROM event_counters WHERE event_key = ?", Row{event_key});
      return std::nullopt;
    }
    return counts;  // the row made here, locked by its insert
  }
  throw StoreError("event '" + event_key + "': its counter row was made and deleted by others three times");
}

void lock_counters(SqlConnection& db, std::vector<std::string> keys) {
  // In key order, the order a registration batch locks its events' rows in:
  // a row made here and one locked here are taken in one pass, so neither
  // waits on the other's holder while holding what that one needs next.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  constexpr std::size_t kChunk = 500;
  for (std::size_t begin = 0; begin < keys.size(); begin += kChunk) {
    const std::size_t n = std::min(kChunk, keys.size() - begin);
    const Row in(keys.begin() + static_cast<std::ptrdiff_t>(begin), keys.begin() + static_cast<std::ptrdiff_t>(begin + n));
    std::vector<Row> rows;
    for (const auto& r : db.query(kSelectLimits + "IN (" + placeholders(n) + ")", in)) {
      const auto limit = limit_of(r);
      rows.push_back(Row{r[0], limit ? std::optional<std::string>(std::to_string(*limit)) : std::nullopt});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x[0] < y[0]; });
    // A row already there is kept as it is, and locked by the (empty) update.
    db.execute_many("INSERT INTO event_counters (event_key, capacity) VALUES (?, CAST(? AS BIGINT)) "
                    "ON CONFLICT (event_key) DO UPDATE SET capacity = event_counters.capacity",
                    rows);
  }
}

void move_registration(SqlConnection& db, const Registration& g, AttendeeState to, UnixSeconds now,
                       const std::string& actor) {
  if (!can_move(g.state, to))
    throw StoreError("registration " + std::to_string(g.id) + ": cannot move from " + std::string(to_string(g.state)) +
                     " to " + std::string(to_string(to)));
  db.query("UPDATE registrations SET state = ?, updated_at = ? WHERE id = ?",
           Row{std::string(to_string(to)), std::to_string(now), std::to_string(g.id)});
  record_move(db, g.id, g.state, to, now, actor);
  const char* type = to == AttendeeState::cancelled    ? "registration.cancelled"
                     : to == AttendeeState::checked_in ? "registration.checked_in"
                     : to == AttendeeState::confirmed && g.state == AttendeeState::waitlisted ? "registration.promoted"
                                                                                              : nullptr;
  if (type) record_webhooks(db, {registration_webhook(type, g.id, g.event_key, to)}, now);
}

namespace {

void apply_move(SqlConnection& db, const Registration& g, AttendeeState to, UnixSeconds now, const std::string& actor) {
  move_registration(db, g, to, now, actor);
}


bool is_true(const SqlConnection& db, const std::optional<std::string>& v) {
  return v && (*v == db.true_text() || *v == "1");
}

// Earlier registrations of `event_key` holding the idempotency keys of the requests `idx`.
std::map<std::string, PriorKey> prior_keys(SqlConnection& db, const std::string& event_key,
                                           const std::vector<RegistrationRequest>& requests,
                                           const std::vector<std::size_t>& idx) {
  std::map<std::string, PriorKey> prior;
  Row params{event_key};
  for (auto i : idx)
    if (!requests[i].idempotency_key.empty()) params.push_back(requests[i].idempotency_key);
  if (params.size() > 1)
    for (const auto& r : db.query("SELECT idempotency_key, id, request_hash FROM registrations WHERE event_key = ? "
                                  "AND idempotency_key IN (" + placeholders(params.size() - 1) + ")",
                                  params))
      prior[r[0].value_or("")] = PriorKey{std::stoll(r[1].value_or("0")), r[2].value_or("")};
  return prior;
}

// The e-mails among the requests `idx` that already hold an active registration of `event_key`.
std::set<std::string> active_emails(SqlConnection& db, const std::string& event_key,
                                    const std::vector<RegistrationRequest>& requests,
                                    const std::vector<std::size_t>& idx) {
  std::set<std::string> taken;
  Row params{event_key};
  for (auto i : idx) params.push_back(requests[i].email);
  // Each e-mail must be one seek in registrations_active_email (event_key,
  // email). Without fresh statistics (a hot event's rows are new: the
  // planners think it has a handful) both databases scanned every active
  // registration of the event per batch instead, slower as it filled
  // (issue 22): SQLite chose registrations_by_event once ten or more e-mails
  // were asked, PostgreSQL used only event_key of the index and filtered.
  // SQLite is told the index; PostgreSQL looks each e-mail up in a LATERAL
  // subquery, whose two equalities on the unique index it always uses.
  std::vector<std::optional<std::string>> rows;
  if (db.backend() == "sqlite") {
    for (const auto& r : db.query("SELECT email FROM registrations INDEXED BY registrations_active_email WHERE event_key = ? "
                                  "AND state IN " + kActive + " AND email IN (" + placeholders(params.size() - 1) + ")",
                                  params))
      rows.push_back(r[0]);
  } else {
    Row lateral(params.begin() + 1, params.end());
    lateral.push_back(event_key);
    std::string values;
    for (std::size_t i = 1; i < params.size(); ++i) values += i > 1 ? ", (?)" : "(?)";
    for (const auto& r : db.query("SELECT x.email FROM (VALUES " + values + ") AS x(email) CROSS JOIN LATERAL "
                                  "(SELECT 1 FROM registrations r WHERE r.event_key = ? AND r.email = x.email "
                                  "AND r.state IN " + kActive + " LIMIT 1) AS hit",
                                  lateral))
      rows.push_back(r[0]);
  }
  for (const auto& email : rows) taken.insert(email.value_or(""));
  return taken;
}

// Writes the admitted requests `inserts` (their out[i].result is confirmed or
// waitlisted) with multi-row inserts: the registrations, their first state
// moves and their outbox rows; fills out[i].registration.
void insert_admitted(SqlConnection& db, const std::string& event_key, const std::vector<RegistrationRequest>& requests,
                     const std::vector<std::size_t>& inserts, UnixSeconds now, std::vector<RegisterOutcome>& out) {
  Row params;
  std::string values;
  for (auto i : inserts) {
    const RegistrationRequest& req = requests[i];
    const bool ok = out[i].result == RegisterResult::confirmed;
    values += std::string(values.empty() ? "" : ", ") + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (auto& v : Row{event_key, std::string(ok ? "confirmed" : "waitlisted"), req.name, req.email,
                       encode_answers(req.answers), req.token_hash, req.ticket_code,
                       req.idempotency_key.empty() ? std::nullopt : std::optional<std::string>(req.idempotency_key),
                       req.request_hash, std::string(ok ? "201" : "202"), std::to_string(now), std::to_string(now),
                       req.token_sealed.empty() ? std::nullopt : std::optional<std::string>(req.token_sealed)})
      params.push_back(std::move(v));
  }
  std::map<std::string, std::int64_t> ids;  // ticket code → id
  for (const auto& r : db.query("INSERT INTO registrations (event_key, state, name, email, answers, token_hash, "
                                "ticket_code, idempotency_key, request_hash, first_status, created_at, updated_at, token_sealed) "
                                "VALUES " + values + " RETURNING ticket_code, id",
                                params))
    ids[r[0].value_or("")] = std::stoll(r[1].value_or("0"));

  Row moves, outbox;
  std::string move_values, outbox_values;
  std::vector<WebhookEvent> webhooks;
  for (auto i : inserts) {
    const RegistrationRequest& req = requests[i];
    const bool ok = out[i].result == RegisterResult::confirmed;
    const std::int64_t id = ids.at(req.ticket_code);
    const std::string kind = ok ? "registration_confirmed" : "registration_waitlisted";
    move_values += std::string(move_values.empty() ? "" : ", ") + "(?, NULL, ?, ?, 'attendee')";
    for (auto& v : Row{std::to_string(id), std::string(ok ? "confirmed" : "waitlisted"), std::to_string(now)})
      moves.push_back(std::move(v));
    outbox_values += std::string(outbox_values.empty() ? "" : ", ") + "(?, ?, ?, ?, ?)";
    for (auto& v : Row{kind, event_key, std::to_string(id), kind + ":" + std::to_string(id), std::to_string(now)})
      outbox.push_back(std::move(v));
    Registration& g = out[i].registration;
    g.id = id;
    g.event_key = event_key;
    g.state = ok ? AttendeeState::confirmed : AttendeeState::waitlisted;
    g.name = req.name;
    g.email = req.email;
    g.answers = req.answers;
    g.ticket_code = req.ticket_code;
    g.first_status = ok ? 201 : 202;
    g.created_at = g.updated_at = now;
    webhooks.push_back(registration_webhook("registration.created", id, event_key, g.state));
  }
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) VALUES " + move_values,
           moves);
  db.query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at) VALUES " + outbox_values,
           outbox);
  record_webhooks(db, webhooks, now);
}

// Registers the requests `idx` (all for `event_key`, in arrival order) with a
// fixed number of statements, whatever their count: the counter row is locked
// once, idempotency keys and e-mails are read with one query each, the rule
// (core/admission) decides, the places are taken with one conditional update
// of the counter, and the rows are written with multi-row inserts.
// `generic_writes`: the update and the inserts run on generic plans
// (plan_generically), which last to the end of the transaction.
void register_group(SqlConnection& db, const std::string& event_key, const std::vector<RegistrationRequest>& requests,
                    const std::vector<std::size_t>& idx, UnixSeconds now, std::vector<RegisterOutcome>& out,
                    bool generic_writes) {
  auto counts = lock_counter(db, event_key);
  auto ev = db.query("SELECT status, registration, starts_at, waitlist FROM events WHERE key = ?", Row{event_key});
  if (!counts || ev.empty()) {
    for (auto i : idx) out[i].result = RegisterResult::event_not_found;
    return;
  }
  AdmissionFacts facts;
  facts.open = registration_open(ev[0][0].value_or("") == "published", is_true(db, ev[0][1]),
                                 std::stoll(ev[0][2].value_or("0")), now);
  facts.waitlist = is_true(db, ev[0][3]);
  facts.capacity = counts->capacity;
  facts.confirmed = counts->confirmed + counts->offered;  // places held by open offers are taken too
  std::vector<AdmissionRequest> asked;
  asked.reserve(idx.size());
  for (auto i : idx) asked.push_back({requests[i].email, requests[i].idempotency_key, requests[i].request_hash});
  const AdmissionPlan plan =
      admit(facts, asked, prior_keys(db, event_key, requests, idx), active_emails(db, event_key, requests, idx));

  std::vector<std::size_t> inserts, replays;
  std::map<std::size_t, std::size_t> replay_of;  // request index → the request written in this batch it retries
  for (std::size_t n = 0; n < idx.size(); ++n) {
    const Admission& a = plan.admissions[n];
    const std::size_t i = idx[n];
    out[i].result = a.result;
    out[i].registration.id = a.prior_id;
    if (a.write()) inserts.push_back(i);
    if (a.result == RegisterResult::replayed) replays.push_back(i);
    if (a.same_batch_as) replay_of[i] = idx[*a.same_batch_as];
  }
  if (!inserts.empty()) {
    // The writes below (the counter by its key, multi-row inserts) run on generic plans. Planned
    // for their values, PostgreSQL's log of a hot-event run gave 0.26 ms of planning each to 32
    // registrations and to their moves, and the moves 1.1 ms to run (each row's foreign-key check
    // planned again too), against 0.3 ms on a generic plan.
    if (generic_writes) db.plan_generically();
    // The database takes the places: a conditional update that cannot pass capacity.
    auto took = db.query("UPDATE event_counters SET confirmed = confirmed + CAST(? AS BIGINT), "
                         "waitlisted = waitlisted + CAST(? AS BIGINT) WHERE event_key = ? "
                         "AND (capacity IS NULL OR confirmed + offered + CAST(? AS BIGINT) <= capacity) RETURNING confirmed",
                         Row{std::to_string(plan.add_confirmed), std::to_string(plan.add_waitlisted), event_key,
                             std::to_string(plan.add_confirmed)});
    if (took.empty()) throw StoreError("capacity check failed for event '" + event_key + "'");
    insert_admitted(db, event_key, requests, inserts, now, out);
  }
  // Replays answer with the stored registration as it is now.
  for (auto i : replays) {
    std::int64_t id = out[i].registration.id;
    if (auto b = replay_of.find(i); b != replay_of.end()) id = out[b->second].registration.id;
    out[i].registration = *query_one(db, "id = ?", Row{std::to_string(id)});
  }
}

}  // namespace

std::vector<RegisterOutcome> SqlStore::register_batch(const std::vector<RegistrationRequest>& requests,
                                                      UnixSeconds now) {
  auto db = pool_.acquire();
  // One group per event, handled in key order so that batches over several
  // events lock counter rows in the same order and cannot deadlock.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < requests.size(); ++i) groups[requests[i].event_key].push_back(i);
  return in_write_transaction(
      *db,
      [&] {
        std::vector<RegisterOutcome> out(requests.size());
        // Generic plans last to the commit: only the last group's writes take them, after every
        // group's reads by event key (what runs after them finds rows by key or id).
        std::size_t left = groups.size();
        for (const auto& [key, idx] : groups) register_group(*db, key, requests, idx, now, out, --left == 0);
        return out;
      },
      false);
}

std::optional<Registration> SqlStore::find_registration_by_token(const std::string& token_hash) {
  auto db = pool_.acquire();
  return query_one(*db, "token_hash = ?", Row{token_hash}, true);
}

std::optional<Registration> SqlStore::find_registration(std::int64_t id) {
  auto db = pool_.acquire();
  return query_one(*db, "id = ?", Row{std::to_string(id)}, true);
}

CancelOutcome SqlStore::cancel_registration(const std::string& token_hash, UnixSeconds now, const std::string& actor) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        CancelOutcome out;
        auto found = query_one(*db, "token_hash = ?", Row{token_hash});
        if (!found) return out;
        lock_counter(*db, found->event_key);
        // Re-read under the lock, by id and token: a transfer that committed meanwhile gave the row another token.
        auto again = query_one(*db, "id = ? AND token_hash = ?", Row{std::to_string(found->id), token_hash});
        if (!again) return out;
        Registration g = *again;
        if (g.state == AttendeeState::cancelled) out.result = CancelResult::already_cancelled;
        else if (g.state == AttendeeState::checked_in) out.result = CancelResult::checked_in;
        else {
          apply_move(*db, g, AttendeeState::cancelled, now, actor);
          db->query(g.state == AttendeeState::confirmed
                        ? "UPDATE event_counters SET confirmed = confirmed - 1 WHERE event_key = ?"
                        : "UPDATE event_counters SET waitlisted = waitlisted - 1 WHERE event_key = ?",
                    Row{g.event_key});
          if (g.state == AttendeeState::waitlisted)
            close_open_offer(*db, g.id, g.event_key, OfferState::declined, now);
          record_outbox(*db, "registration_cancelled", g.event_key, g.id, now);
          const FilledPlaces filled = fill_places(*db, g.event_key, now);
          if (!filled.promoted.empty())
            out.promoted = query_one(*db, "id = ?", Row{std::to_string(filled.promoted.front())});
          out.result = CancelResult::cancelled;
        }
        out.registration = *query_one(*db, "id = ?", Row{std::to_string(g.id)}, true);
        return out;
      },
      false);
}

CheckinOutcome SqlStore::check_in(const std::string& ticket_code, UnixSeconds now, const std::string& actor,
                                  const std::string& event_key) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        CheckinOutcome out;
        auto found = query_one(*db, "ticket_code = ?", Row{ticket_code});
        if (!found) return out;
        if (!event_key.empty() && found->event_key != event_key) {
          out.result = CheckinResult::other_event;
          out.registration = *found;
          return out;
        }
        lock_counter(*db, found->event_key);
        // Re-read under the lock, by id and code: a transfer that committed meanwhile gave the row another ticket.
        auto again = query_one(*db, "id = ? AND ticket_code = ?", Row{std::to_string(found->id), ticket_code});
        if (!again) return CheckinOutcome{};
        Registration g = *again;
        if (g.state == AttendeeState::checked_in) out.result = CheckinResult::already_checked_in;
        else if (g.state != AttendeeState::confirmed) out.result = CheckinResult::not_confirmed;
        else {
          apply_move(*db, g, AttendeeState::checked_in, now, actor);
          db->query("UPDATE registrations SET checked_in_at = ? WHERE id = ?",
                    Row{std::to_string(now), std::to_string(g.id)});
          out.result = CheckinResult::checked_in;
        }
        out.registration = *query_one(*db, "id = ?", Row{std::to_string(g.id)}, true);
        return out;
      },
      false);
}

std::vector<Registration> SqlStore::list_registrations(const std::string& event_key, bool with_moves) {
  auto db = pool_.acquire();
  auto rows = event_key.empty() ? db->query(select_registrations("1 = 1 ORDER BY event_key, id"))
                                : db->query(select_registrations("event_key = ? ORDER BY id"), Row{event_key});
  std::vector<Registration> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(from_registration_row(r));
    if (with_moves) load_moves(*db, out.back());
  }
  return out;
}

std::vector<Registration> SqlStore::list_registrations_by_email(const std::string& email) {
  auto db = pool_.acquire();
  std::vector<Registration> out;
  for (const auto& r : db->query(select_registrations("email = ? AND state IN " + kActive + " ORDER BY event_key, id"), Row{email}))
    out.push_back(from_registration_row(r));
  return out;
}

std::int64_t SqlStore::enqueue_link_resend(const std::string& email, const std::string& event_key, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        std::string where = "email = ? AND state IN " + kActive + " AND token_sealed IS NOT NULL AND token_sealed <> ''";
        Row params{email};
        if (!event_key.empty()) {
          where += " AND event_key = ?";
          params.push_back(event_key);
        }
        const std::string n = std::to_string(now);
        std::int64_t written = 0;
        for (const auto& r : db->query("SELECT id, event_key FROM registrations WHERE " + where + " ORDER BY id", params)) {
          const std::string id = r[0].value_or("");
          // Each request is its own message: one past the highest row ever
          // written for it (the outbox keeps ids increasing; purged rows
          // cannot make a key come back).
          const auto top = db->query("SELECT MAX(id) FROM outbox", {});
          const std::string nth = top.empty() ? "0" : top[0][0].value_or("0");
          written += static_cast<std::int64_t>(
              db->query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, due_at) "
                        "VALUES ('registration_link', ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT)) "
                        "ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
                        Row{r[1].value_or(""), id, "registration_link:" + id + ":" + nth, n, n})
                  .size());
        }
        return written;
      },
      false);
}

std::optional<EventCounts> SqlStore::event_counts(const std::string& event_key) {
  auto db = pool_.acquire();
  auto rows = db->query(kCounterColumns, Row{event_key});
  if (rows.empty()) return uncounted(*db, event_key);
  return counts_from_row(rows[0]);
}

std::optional<std::int64_t> SqlStore::waitlist_position(std::int64_t registration_id) {
  auto db = pool_.acquire();
  const std::string id = std::to_string(registration_id);
  auto rows = db->query(
      "SELECT COUNT(*) FROM registrations w JOIN registrations me ON me.id = CAST(? AS BIGINT) "
      "WHERE me.state = 'waitlisted' AND w.event_key = me.event_key AND w.state = 'waitlisted' AND w.id <= me.id",
      Row{id});
  const std::int64_t n = rows.empty() ? 0 : std::stoll(rows[0][0].value_or("0"));
  if (n == 0) return std::nullopt;
  return n;
}

std::map<std::string, std::int64_t> SqlStore::confirmed_counts() {
  auto db = pool_.acquire();
  std::map<std::string, std::int64_t> out;
  for (const auto& r : db->query("SELECT event_key, confirmed FROM event_counters"))
    out[r[0].value_or("")] = std::stoll(r[1].value_or("0"));
  return out;
}

std::map<std::string, std::int64_t> SqlStore::taken_counts() {
  auto db = pool_.acquire();
  std::map<std::string, std::int64_t> out;
  // Against the event's own capacity: with overbooking the counter allows more (its capacity is the
  // place limit), and the extra places are left out, so that the public count never shows more free
  // places than the room has and reaches "full" exactly when the place limit is reached.
  // Only events with places taken: every server reads this every 2 s, and
  // most events of a large programme have none (absent = 0, see the port).
  for (const auto& r : db->query("SELECT c.event_key, c.confirmed + c.offered, c.capacity, e.capacity FROM event_counters c "
                                 "LEFT JOIN events e ON e.key = c.event_key WHERE c.confirmed + c.offered > 0")) {
    const std::int64_t taken = std::stoll(r[1].value_or("0"));
    const auto limit = opt_int(r[2]), capacity = opt_int(r[3]);
    const std::int64_t extra = limit && capacity && *limit > *capacity ? *limit - *capacity : 0;
    out[r[0].value_or("")] = std::max<std::int64_t>(0, taken - extra);
  }
  return out;
}

namespace {
bool erase_in(SqlConnection& db, std::int64_t id, UnixSeconds now, const std::string& actor) {
  auto g = query_one(db, "id = ?", Row{std::to_string(id)});
  if (!g) return false;
  if (g->erased_at) return true;
  // The counter first (the lock order of every change to a registration), then
  // re-read: a transfer or an offer answer in flight finishes first.
  lock_counter(db, g->event_key);
  g = query_one(db, "id = ?", Row{std::to_string(id)});
  if (g->erased_at) return true;
  db.query("UPDATE registrations SET name = '', email = NULL, answers = '', idempotency_key = NULL, "
           "request_hash = '', token_sealed = NULL, erased_at = ?, updated_at = ? WHERE id = ?",
           Row{std::to_string(now), std::to_string(now), std::to_string(id)});
  db.query("INSERT INTO registration_moves (registration_id, from_state, to_state, at, actor) VALUES (?, ?, ?, ?, ?)",
           Row{std::to_string(id), std::string(to_string(g->state)), std::string(to_string(g->state)),
               std::to_string(now), actor + ": personal data erased"});
  // Earlier holders of a transferred place go with it.
  db.query("UPDATE registration_transfers SET from_name = '', from_email = NULL WHERE registration_id = CAST(? AS BIGINT)",
           Row{std::to_string(id)});
  if (g->state == AttendeeState::waitlisted && close_open_offer(db, id, g->event_key, OfferState::withdrawn, now))
    fill_places(db, g->event_key, now);  // the held place goes to someone who can be told
  return true;
}
}  // namespace

bool SqlStore::erase_registration(std::int64_t id, UnixSeconds now, const std::string& actor) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] { return erase_in(*db, id, now, actor); }, false);
}

std::int64_t SqlStore::purge_expired_registrations(UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        auto rows = db->query(
            "SELECT r.id FROM registrations r JOIN events e ON e.key = r.event_key "
            "WHERE r.erased_at IS NULL AND e.retention_days IS NOT NULL AND e.ends_at + e.retention_days * 86400 < CAST(? AS BIGINT)",
            Row{std::to_string(now)});
        for (const auto& r : rows) erase_in(*db, std::stoll(r[0].value_or("0")), now, "retention");
        return static_cast<std::int64_t>(rows.size());
      },
      false);
}

}  // namespace marquee
