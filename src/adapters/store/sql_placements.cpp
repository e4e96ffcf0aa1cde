// Placement methods of SqlStore: partners, placements and their history
// (migrations/<backend>/0010_placements.sql).
#include "adapters/postgres/pg_listener.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

// Every placement write runs in a serialised write transaction
// (in_write_transaction's default: PostgreSQL's advisory lock), so history ids
// are given out in commit order and placements_version (their maximum) never
// skips a change another transaction committed later with a lower id.
const std::string kPartnerColumns = "id, name, contact_email, notes, created_at, updated_at";
const std::string kPlacementColumns =
    "id, partner_id, event_key, slot, starts_at, ends_at, priority, share_of_voice, state, price_cents, currency, "
    "checkout_session, notes, version, created_at, updated_at, payment_intent";

std::int64_t number(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

Partner partner_from_row(const Row& r) {
  Partner p;
  p.id = number(r[0]);
  p.name = r[1].value_or("");
  p.contact_email = r[2].value_or("");
  p.notes = r[3].value_or("");
  p.created_at = number(r[4]);
  p.updated_at = number(r[5]);
  return p;
}

Placement placement_from_row(const Row& r) {
  Placement p;
  p.id = number(r[0]);
  p.partner_id = number(r[1]);
  p.event_key = r[2].value_or("");
  p.slot = parse_placement_slot(r[3].value_or("")).value_or(PlacementSlot::promoted);
  p.starts_at = number(r[4]);
  p.ends_at = number(r[5]);
  p.priority = static_cast<int>(number(r[6]));
  p.share_of_voice = static_cast<int>(number(r[7]));
  p.state = parse_placement_state(r[8].value_or("")).value_or(PlacementState::draft);
  p.price_cents = number(r[9]);
  p.currency = r[10].value_or("");
  p.checkout_session = r[11].value_or("");
  p.notes = r[12].value_or("");
  p.version = number(r[13]);
  p.created_at = number(r[14]);
  p.updated_at = number(r[15]);
  p.payment_intent = r[16].value_or("");
  return p;
}

std::optional<Placement> load_placement(SqlConnection& db, std::int64_t id, bool lock) {
  auto rows = db.query("SELECT " + kPlacementColumns + " FROM placements WHERE id = ?" + (lock ? db.row_lock() : ""),
                       Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return placement_from_row(rows[0]);
}

void insert_history(SqlConnection& db, std::int64_t placement_id, const ChangeBy& by, const std::string& action,
                    const std::string& from_state, const std::string& to_state, const std::string& detail) {
  db.query("INSERT INTO placement_history (placement_id, at, actor, action, from_state, to_state, detail) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)",
           Row{std::to_string(placement_id), std::to_string(by.at), by.actor, action, from_state, to_state, detail});
}

// Wakes the other instances' read paths once this transaction commits.
void notify_placements(SqlConnection& db) {
  if (db.backend() == "postgres") db.query("SELECT pg_notify(?, ?)", Row{std::string(kLiveChannel), "placements"});
}

// A short description of what the read path uses, for audit entries.
std::string describe(const Placement& p) {
  return "event " + p.event_key + ", " + std::string(to_string(p.slot)) + ", " + std::to_string(p.starts_at) + "–" +
         std::to_string(p.ends_at) + ", priority " + std::to_string(p.priority) + ", share " +
         std::to_string(p.share_of_voice) + ", " + std::to_string(p.price_cents) + " " + p.currency;
}

std::vector<std::string> changed_fields(const Placement& a, const Placement& b) {
  std::vector<std::string> out;
  if (a.event_key != b.event_key) out.emplace_back("event_key");
  if (a.slot != b.slot) out.emplace_back("slot");
  if (a.starts_at != b.starts_at) out.emplace_back("starts_at");
  if (a.ends_at != b.ends_at) out.emplace_back("ends_at");
  if (a.priority != b.priority) out.emplace_back("priority");
  if (a.share_of_voice != b.share_of_voice) out.emplace_back("share_of_voice");
  if (a.price_cents != b.price_cents) out.emplace_back("price_cents");
  if (a.currency != b.currency) out.emplace_back("currency");
  if (a.notes != b.notes) out.emplace_back("notes");
  return out;
}

}  // namespace

std::int64_t SqlStore::add_partner(const Partner& p, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    const std::int64_t id = number(db->query("INSERT INTO partners (name, contact_email, notes, created_at, updated_at) "
                                             "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                             Row{p.name, p.contact_email, p.notes, std::to_string(by.at), std::to_string(by.at)})
                                       .at(0)
                                       .at(0));
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "partner_create", "partner " + std::to_string(id), "", p.name});
    return id;
  });
}

bool SqlStore::update_partner(const Partner& p, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    auto before = db->query("SELECT name FROM partners WHERE id = ?" + std::string(db->row_lock()), Row{std::to_string(p.id)});
    if (before.empty()) return false;
    db->query("UPDATE partners SET name = ?, contact_email = ?, notes = ?, updated_at = ? WHERE id = ?",
              Row{p.name, p.contact_email, p.notes, std::to_string(by.at), std::to_string(p.id)});
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "partner_edit", "partner " + std::to_string(p.id),
                                 before[0][0].value_or(""), p.name});
    // The read path shows the partner's name: its placements' history moves
    // (placements_version), so every instance reloads it.
    for (const auto& r : db->query("SELECT id, state FROM placements WHERE partner_id = ?", Row{std::to_string(p.id)}))
      insert_history(*db, number(r[0]), by, "partner_edit", r[1].value_or(""), r[1].value_or(""), p.name);
    notify_placements(*db);
    return true;
  });
}

std::optional<Partner> SqlStore::find_partner(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kPartnerColumns + " FROM partners WHERE id = ?", Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return partner_from_row(rows[0]);
}

std::vector<Partner> SqlStore::list_partners() {
  auto db = pool_.acquire();
  std::vector<Partner> out;
  for (const auto& r : db->query("SELECT " + kPartnerColumns + " FROM partners ORDER BY lower(name), id"))
    out.push_back(partner_from_row(r));
  return out;
}

std::int64_t SqlStore::add_placement(const Placement& p, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    const std::int64_t id = number(
        db->query("INSERT INTO placements (partner_id, event_key, slot, starts_at, ends_at, priority, share_of_voice, "
                  "state, price_cents, currency, notes, version, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, 1, ?, ?) RETURNING id",
                  Row{std::to_string(p.partner_id), p.event_key, std::string(to_string(p.slot)),
                      std::to_string(p.starts_at), std::to_string(p.ends_at), std::to_string(p.priority),
                      std::to_string(p.share_of_voice), std::to_string(p.price_cents), p.currency, p.notes,
                      std::to_string(by.at), std::to_string(by.at)})
            .at(0)
            .at(0));
    insert_history(*db, id, by, "create", "", "draft", by.detail);
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "placement_create", "placement " + std::to_string(id), "", describe(p)});
    notify_placements(*db);
    return id;
  });
}

PlacementEditResult SqlStore::update_placement(const Placement& p, std::int64_t expected_version, const ChangeBy& by,
                                               Placement* current) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    auto stored = load_placement(*db, p.id, true);
    if (!stored) return PlacementEditResult::not_found;
    if (current) *current = *stored;
    if (stored->version != expected_version) return PlacementEditResult::conflict;
    const auto fields = changed_fields(*stored, p);
    if (fields.empty()) return PlacementEditResult::unchanged;
    db->query("UPDATE placements SET event_key = ?, slot = ?, starts_at = ?, ends_at = ?, priority = ?, share_of_voice = ?, "
              "price_cents = ?, currency = ?, notes = ?, version = version + 1, updated_at = ? WHERE id = ?",
              Row{p.event_key, std::string(to_string(p.slot)), std::to_string(p.starts_at), std::to_string(p.ends_at),
                  std::to_string(p.priority), std::to_string(p.share_of_voice), std::to_string(p.price_cents), p.currency,
                  p.notes, std::to_string(by.at), std::to_string(p.id)});
    const std::string state(to_string(stored->state));
    insert_history(*db, p.id, by, "edit", state, state, join(fields, ", "));
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "placement_edit", "placement " + std::to_string(p.id),
                                 describe(*stored), describe(p)});
    notify_placements(*db);
    if (current) *current = *load_placement(*db, p.id, false);
    return PlacementEditResult::updated;
  });
}

PlacementMoveOutcome SqlStore::move_placement(std::int64_t id, PlacementMove move, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    PlacementMoveOutcome out;
    auto stored = load_placement(*db, id, true);
    if (!stored) return out;
    out.found = true;
    out.result = apply_move(stored->state, move);
    out.placement = *stored;
    if (!out.result.changed) return out;
    db->query("UPDATE placements SET state = ?, version = version + 1, updated_at = ? WHERE id = ?",
              Row{std::string(to_string(out.result.state)), std::to_string(by.at), std::to_string(id)});
    const std::string from(to_string(stored->state)), to(to_string(out.result.state));
    insert_history(*db, id, by, std::string(to_string(move)), from, to, by.detail);
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "placement_" + std::string(to_string(move)),
                                 "placement " + std::to_string(id), from, to});
    notify_placements(*db);
    out.placement = *load_placement(*db, id, false);
    return out;
  });
}

PaymentEventOutcome SqlStore::apply_payment_event(const PaymentEvent& e) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    PaymentEventOutcome out;
    // The primary key decides: a concurrent insert of the same id waits for
    // this transaction and then finds the row (PostgreSQL), or is serialised
    // behind it (SQLite).
    const bool first = !db->query("INSERT INTO stripe_events (event_id, type, placement_id, received_at) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                                  Row{e.event_id, e.type, e.placement_id ? std::optional<std::string>(std::to_string(e.placement_id))
                                                                         : std::nullopt,
                                      std::to_string(e.at)})
                             .empty();
    if (!first) {
      out.result = PaymentEventOutcome::Result::duplicate;
      return out;
    }
    std::optional<Placement> stored;
    if (e.placement_id) stored = load_placement(*db, e.placement_id, true);
    if (!stored && !e.payment_intent.empty()) {
      auto rows = db->query("SELECT id FROM placements WHERE payment_intent = ? ORDER BY id LIMIT 1", Row{e.payment_intent});
      if (!rows.empty()) stored = load_placement(*db, number(rows[0][0]), true);
    }
    auto outcome = [&](const char* text) {
      db->query("UPDATE stripe_events SET outcome = ?, placement_id = ? WHERE event_id = ?",
                Row{std::string(text), stored ? std::optional<std::string>(std::to_string(stored->id)) : std::nullopt,
                    e.event_id});
    };
    if (!stored) {
      out.result = PaymentEventOutcome::Result::unknown_placement;
      outcome("unknown placement");
      return out;
    }
    // An older link than the placement's current checkout, or a payment of
    // another price: recorded for the operators, never applied.
    if (!e.session_id.empty() && !stored->checkout_session.empty() && e.session_id != stored->checkout_session) {
      out.result = PaymentEventOutcome::Result::stale_session;
      outcome("stale session");
      out.placement = *stored;
      return out;
    }
    if (e.move == PlacementMove::payment_succeeded && e.amount &&
        (*e.amount != stored->price_cents || (!e.currency.empty() && e.currency != stored->currency))) {
      out.result = PaymentEventOutcome::Result::wrong_amount;
      outcome("wrong amount");
      out.placement = *stored;
      return out;
    }
    const ChangeBy by{"stripe", e.at, e.event_id + " " + e.type};
    if (!e.payment_intent.empty() && stored->payment_intent != e.payment_intent)
      db->query("UPDATE placements SET payment_intent = ?, updated_at = ? WHERE id = ?",
                Row{e.payment_intent, std::to_string(e.at), std::to_string(stored->id)});
    out.result = PaymentEventOutcome::Result::unchanged;
    if (e.move) {
      const PlacementMoveResult r = apply_move(stored->state, *e.move);
      if (r.changed) {
        db->query("UPDATE placements SET state = ?, version = version + 1, updated_at = ? WHERE id = ?",
                  Row{std::string(to_string(r.state)), std::to_string(e.at), std::to_string(stored->id)});
        const std::string from(to_string(stored->state)), to(to_string(r.state));
        insert_history(*db, stored->id, by, std::string(to_string(*e.move)), from, to, by.detail);
        insert_audit(*db, AuditEntry{0, e.at, "stripe", "placement_" + std::string(to_string(*e.move)),
                                     "placement " + std::to_string(stored->id), from, to + " (" + e.event_id + ")"});
        notify_placements(*db);
        out.result = PaymentEventOutcome::Result::applied;
      }
    }
    outcome(out.result == PaymentEventOutcome::Result::applied ? "applied" : "unchanged");
    out.placement = *load_placement(*db, stored->id, false);
    return out;
  });
}

bool SqlStore::set_checkout_session(std::int64_t id, const std::string& session_id, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    auto stored = load_placement(*db, id, true);
    if (!stored) return false;
    db->query("UPDATE placements SET checkout_session = ?, version = version + 1, updated_at = ? WHERE id = ?",
              Row{session_id, std::to_string(by.at), std::to_string(id)});
    const std::string state(to_string(stored->state));
    insert_history(*db, id, by, "checkout", state, state, session_id);
    return true;
  });
}

std::optional<Placement> SqlStore::find_placement(std::int64_t id) {
  auto db = pool_.acquire();
  return load_placement(*db, id, false);
}

std::vector<Placement> SqlStore::list_placements(std::int64_t partner_id) {
  auto db = pool_.acquire();
  std::vector<Placement> out;
  const auto rows =
      partner_id ? db->query("SELECT " + kPlacementColumns + " FROM placements WHERE partner_id = ? ORDER BY id DESC",
                             Row{std::to_string(partner_id)})
                 : db->query("SELECT " + kPlacementColumns + " FROM placements ORDER BY id DESC");
  for (const auto& r : rows) out.push_back(placement_from_row(r));
  return out;
}

std::vector<Placement> SqlStore::live_placements() {
  auto db = pool_.acquire();
  std::vector<Placement> out;
  for (const auto& r : db->query("SELECT " + kPlacementColumns +
                                 " FROM placements WHERE state IN ('scheduled', 'active', 'paused') ORDER BY id"))
    out.push_back(placement_from_row(r));
  return out;
}

std::vector<PlacementChange> SqlStore::placement_history(std::int64_t placement_id) {
  auto db = pool_.acquire();
  std::vector<PlacementChange> out;
  for (const auto& r : db->query("SELECT id, placement_id, at, actor, action, from_state, to_state, detail "
                                 "FROM placement_history WHERE placement_id = ? ORDER BY id",
                                 Row{std::to_string(placement_id)}))
    out.push_back(PlacementChange{number(r[0]), number(r[1]), number(r[2]), r[3].value_or(""), r[4].value_or(""),
                                  r[5].value_or(""), r[6].value_or(""), r[7].value_or("")});
  return out;
}

std::int64_t SqlStore::placements_version() {
  auto db = pool_.acquire();
  return number(db->query("SELECT COALESCE(MAX(id), 0) FROM placement_history").at(0).at(0));
}

}  // namespace marquee

namespace marquee {
namespace {

std::optional<std::string> optional_number(const std::optional<UnixSeconds>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

PartnerToken token_from_row(const Row& r) {
  PartnerToken t;
  t.id = number(r[0]);
  t.partner_id = number(r[1]);
  t.created_by = r[2].value_or("");
  t.created_at = number(r[3]);
  if (r[4]) t.expires_at = number(r[4]);
  if (r[5]) t.revoked_at = number(r[5]);
  return t;
}

const std::string kTokenColumns = "id, partner_id, created_by, created_at, expires_at, revoked_at";

}  // namespace

std::int64_t SqlStore::add_partner_token(std::int64_t partner_id, const std::string& token_hash,
                                         std::optional<UnixSeconds> expires_at, bool replace, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    std::int64_t revoked = 0;
    if (replace)
      revoked = static_cast<std::int64_t>(
          db->query("UPDATE partner_tokens SET revoked_at = ? WHERE partner_id = ? AND revoked_at IS NULL RETURNING id",
                    Row{std::to_string(by.at), std::to_string(partner_id)})
              .size());
    const std::int64_t id = number(db->query("INSERT INTO partner_tokens (partner_id, token_hash, created_by, created_at, "
                                             "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                             Row{std::to_string(partner_id), token_hash, by.actor, std::to_string(by.at),
                                                 optional_number(expires_at)})
                                       .at(0)
                                       .at(0));
    insert_audit(*db, AuditEntry{0, by.at, by.actor, replace ? "partner_link_rotate" : "partner_link_create",
                                 "partner " + std::to_string(partner_id),
                                 replace ? std::to_string(revoked) + " link(s) revoked" : "",
                                 "link " + std::to_string(id) + (expires_at ? ", expires " + std::to_string(*expires_at) : "")});
    return id;
  });
}

std::optional<PartnerToken> SqlStore::find_partner_token(const std::string& token_hash) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kTokenColumns + " FROM partner_tokens WHERE token_hash = ?", Row{token_hash});
  if (rows.empty()) return std::nullopt;
  return token_from_row(rows[0]);
}

std::vector<PartnerToken> SqlStore::list_partner_tokens(std::int64_t partner_id) {
  auto db = pool_.acquire();
  std::vector<PartnerToken> out;
  for (const auto& r : db->query("SELECT " + kTokenColumns + " FROM partner_tokens WHERE partner_id = ? ORDER BY id DESC",
                                 Row{std::to_string(partner_id)}))
    out.push_back(token_from_row(r));
  return out;
}

bool SqlStore::revoke_partner_token(std::int64_t partner_id, std::int64_t token_id, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    const bool revoked = !db->query("UPDATE partner_tokens SET revoked_at = ? WHERE id = ? AND partner_id = ? AND "
                                    "revoked_at IS NULL RETURNING id",
                                    Row{std::to_string(by.at), std::to_string(token_id), std::to_string(partner_id)})
                              .empty();
    if (revoked)
      insert_audit(*db, AuditEntry{0, by.at, by.actor, "partner_link_revoke", "partner " + std::to_string(partner_id),
                                   "link " + std::to_string(token_id), "revoked"});
    return revoked;
  });
}

}  // namespace marquee
