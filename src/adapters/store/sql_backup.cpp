// Dump and restore of SqlStore: the same tables and columns on both backends.
#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/payload_frames.hpp"
#include "adapters/store/stored_frames.hpp"
#include "adapters/store/snapshot_storage.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

struct TableSpec {
  const char* name;
  const char* columns;
  const char* booleans;  // columns stored as booleans on PostgreSQL
  const char* identity;  // identity column to re-sync on PostgreSQL, or ""
};

// Parents before children (foreign keys); restored in this order, cleared in reverse.
const TableSpec kTables[] = {
    {"events",
     "key, title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, category, tags, "
     "organizer, url, image_url, price, capacity, status, source_file, source_record, warnings, created_at, "
     "updated_at, version, registration, waitlist, retention_days, questions",
     "all_day, registration, waitlist", ""},
    {"event_counters", "event_key, capacity, confirmed, waitlisted, offered", "", ""},
    {"event_operations",
     "event_key, promotion, offer_hours, transfers, reminder_offsets, updated_at, reconfirm_hours, reconfirm_release_hours, "
     "overbook_percent, door_release_minutes",
     "transfers", ""},
    {"registrations",
     "id, event_key, state, name, email, answers, token_hash, ticket_code, idempotency_key, request_hash, "
     "first_status, created_at, updated_at, checked_in_at, erased_at, token_sealed, messages_opted_out_at, "
     "reconfirm_asked_at, reconfirmed_at, reconfirm_deadline, door_released_at",
     "", "id"},
    {"registration_moves", "id, registration_id, from_state, to_state, at, actor", "", "id"},
    {"place_offers", "id, event_key, registration_id, state, offered_at, expires_at, answered_at, actor", "", "id"},
    {"registration_transfers", "id, registration_id, from_name, from_email, from_ticket_code, at", "", "id"},
    {"attendee_messages",
     "id, subject, body, event_keys, states, answers, state, send_at, recipients, idempotency_key, created_by, created_at, "
     "sent_at",
     "", "id"},
    {"outbox",
     "id, kind, event_key, registration_id, dedup_key, created_at, sent_at, state, due_at, attempts, last_error, "
     "claimed_by, claimed_until, base_snapshot, snapshot_number, revision, updated_at, alert_id, offer_id, transfer_id, "
     "message_id",
     "", "id"},
    {"snapshots", "number, created_at, author, note, kind, based_on, content_hash, event_count, payload", "", ""},
    {"snapshot_changes", "snapshot_number, position, event_key, change, fields, details", "", ""},
    {"event_sequences", "event_key, sequence", "", ""},
    {"live_snapshot", "id, number, changed_at", "", ""},
    {"settings", "name, value", "", ""},
    {"store_generation", "id, generation", "", ""},
    {"users", "id, email, password_hash, role, created_at, disabled", "disabled", "id"},
    {"audit_log", "id, at, actor, action, target, before_value, after_value", "", "id"},
    {"api_tokens", "id, name, token_hash, scopes, created_by, created_at, expires_at, revoked_at", "", "id"},
    {"import_runs", "id, at, actor, file, format, inserted, updated, unchanged, reverted_at, reverted_by", "", "id"},
    {"import_changes", "import_id, event_key, new_version, previous", "", ""},
    {"import_additions", "import_id, part, event_keys", "", ""},
    {"submissions",
     "id, token_hash, target_key, payload, host_name, host_email, note, state, reason, event_key, created_at, "
     "decided_at, decided_by",
     "", "id"},
    {"partners", "id, name, contact_email, notes, created_at, updated_at", "", "id"},
    {"placements",
     "id, partner_id, event_key, slot, starts_at, ends_at, priority, share_of_voice, state, price_cents, currency, "
     "checkout_session, notes, version, created_at, updated_at, payment_intent",
     "", "id"},
    {"placement_history", "id, placement_id, at, actor, action, from_state, to_state, detail", "", "id"},
    {"partner_tokens", "id, partner_id, token_hash, created_by, created_at, expires_at, revoked_at", "", "id"},
    {"stripe_events", "event_id, type, placement_id, received_at, outcome", "", ""},
    {"checkin_lists", "id, name, allow_reentry, opens_at, closes_at, room_capacity, alarm_percent, created_at, updated_at",
     "allow_reentry", "id"},
    {"checkin_list_events", "list_id, event_key", "", ""},
    {"checkin_occupancy", "list_id, inside, entries, exits, duplicates", "", ""},
    {"checkin_presence", "list_id, registration_id, inside, entries, exits, entered_at, entered_device, exited_at", "inside",
     ""},
    {"checkin_scans",
     "id, list_id, device, scan_id, code, registration_id, direction, scanned_at, received_at, decided_offline, outcome, "
     "refusal, flagged",
     "decided_offline, flagged", "id"},
    {"checkin_list_users", "list_id, user_id", "", ""},
    {"agendas", "token_hash, event_keys, revision, created_at, updated_at, used_at", "", ""},
    {"agenda_alerts",
     "id, agenda_hash, email, state, ended_reason, confirm_hash, confirm_sealed, unsubscribe_hash, unsubscribe_sealed, "
     "agenda_sealed, created_at, confirmed_at, ended_at, updated_at",
     "", "id"},
    {"webhook_endpoints", "id, url, events, secret_sealed, description, created_by, created_at, disabled_at", "", "id"},
    {"webhook_deliveries",
     "id, endpoint_id, event_id, event_type, payload, state, created_at, due_at, attempts, claimed_by, claimed_until, "
     "last_status, last_error, delivered_at, updated_at",
     "", "id"},
};

std::vector<std::string> columns_of(const char* list) { return split_list(list, ','); }

// A backup holds every snapshot's payload as text (its JSON Lines), however
// the store keeps it: the payloads stored as LZ4 frames, a frame a row
// (migration 0027) or in one value (0024), are read and put into the dumped
// rows.
void fill_compressed_payloads(SqlConnection& db, TableDump& t) {
  const auto number = std::find(t.columns.begin(), t.columns.end(), "number") - t.columns.begin();
  const auto payload = std::find(t.columns.begin(), t.columns.end(), "payload") - t.columns.begin();
  // Each snapshot's layout and size, as SqlStore::snapshot() reads them; text is in the row already.
  std::map<std::string, std::pair<std::optional<std::string>, std::optional<std::string>>> kept;
  for (auto& r : db.query(std::string("SELECT number, ") + kPayloadLayoutColumns + " FROM snapshots"))
    if (r[1] != std::optional<std::string>("0")) kept.emplace(r[0].value_or(""), std::make_pair(std::move(r[1]), std::move(r[2])));
  for (auto& row : t.rows) {
    if (!row[number]) continue;
    const auto it = kept.find(*row[number]);
    if (it == kept.end()) continue;
    auto content = read_stored_payload(db, std::stoll(*row[number]), it->second.first, it->second.second);
    if (content) row[payload] = std::move(*content);
  }
}

// A backup holds every snapshot's changelog as snapshot_changes rows, also
// those the store keeps as LZ4 frames (migration 0024): they
// are put in as rows, in (snapshot, position) order with the others. A
// restore writes rows, which the store reads as well.
void add_framed_changelogs(SqlConnection& db, TableDump& t) {
  const std::vector<std::string> expected = {"snapshot_number", "position", "event_key", "change", "fields", "details"};
  if (t.columns != expected) throw StoreError("snapshot_changes: unexpected columns in the dump");
  std::vector<std::int64_t> numbers;
  std::set<std::string> framed;
  for (const auto& r : db.query("SELECT snapshot_number FROM snapshot_changelogs ORDER BY snapshot_number")) {
    numbers.push_back(std::stoll(r[0].value_or("0")));
    framed.insert(r[0].value_or("0"));
  }
  if (numbers.empty()) return;
  // A snapshot with both a frame and rows (never written so) is read from its frame, as the store reads it.
  std::erase_if(t.rows, [&](const Row& r) { return r[0] && framed.count(*r[0]); });
  for (const std::int64_t n : numbers) {
    auto framed = read_changelog_frame(db, n);
    if (!framed) continue;
    std::int64_t position = 0;
    for (auto& c : *framed)
      t.rows.push_back(Row{std::to_string(n), std::to_string(position++), std::move(c.event_key), std::string(to_string(c.kind)),
                           join(c.fields, ","), encode_change_details(c.details)});
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const Row& a, const Row& b) {
    const auto key = [](const Row& r) { return std::make_pair(std::stoll(r[0].value_or("0")), std::stoll(r[1].value_or("0"))); };
    return key(a) < key(b);
  });
}

// Restored snapshots are stored as new ones are: their payloads as LZ4 frames of whole
// lines (frame_payload_bytes), a frame a row.
void store_payloads_compressed(SqlConnection& db, const TableDump& t) {
  const auto number = std::find(t.columns.begin(), t.columns.end(), "number") - t.columns.begin();
  const auto payload = std::find(t.columns.begin(), t.columns.end(), "payload") - t.columns.begin();
  if (number == static_cast<std::ptrdiff_t>(t.columns.size()) || payload == static_cast<std::ptrdiff_t>(t.columns.size())) return;
  for (const auto& row : t.rows) {
    if (!row[number] || !row[payload]) continue;
    const std::int64_t n = std::stoll(*row[number]);
    const FramedPayload framed = frame_payload_bytes(*row[payload]);
    write_payload_rows(db, n, framed.frames);
    db.query("UPDATE snapshots SET payload = ?, payload_bytes = CAST(? AS BIGINT) WHERE number = CAST(? AS BIGINT)",
             Row{std::string(kPayloadInRows), std::to_string(framed.content_bytes), *row[number]});
  }
}

}  // namespace

std::vector<TableDump> SqlStore::dump_tables() {
  auto db = pool_.acquire();
  db->begin_read_snapshot();
  try {
    std::vector<TableDump> out;
    for (const auto& spec : kTables) {
      TableDump t;
      t.name = spec.name;
      t.columns = columns_of(spec.columns);
      const auto booleans = columns_of(spec.booleans);
      std::vector<bool> is_bool;
      for (const auto& c : t.columns) is_bool.push_back(std::find(booleans.begin(), booleans.end(), c) != booleans.end());
      for (auto& row : db->query(std::string("SELECT ") + spec.columns + " FROM " + spec.name + " ORDER BY 1, 2")) {
        for (std::size_t i = 0; i < row.size(); ++i)
          if (is_bool[i] && row[i]) row[i] = (*row[i] == db->true_text() || *row[i] == "1") ? "1" : "0";
        t.rows.push_back(std::move(row));
      }
      if (t.name == "snapshots") fill_compressed_payloads(*db, t);
      if (t.name == "snapshot_changes") add_framed_changelogs(*db, t);
      out.push_back(std::move(t));
    }
    db->commit();
    return out;
  } catch (...) {
    db->rollback();
    throw;
  }
}

void SqlStore::restore_tables(const std::vector<TableDump>& tables) {
  auto db = pool_.acquire();
  in_write_transaction(*db, [&] {
    // An event without a counter row has none for the deletes below to lock:
    // on PostgreSQL, registrations (lock_counter: FOR UPDATE, or the insert
    // making the row) wait for the whole restore, then see what it restored.
    // Door scans lock an occupancy row, then counters: the same order here.
    if (db->backend() == "postgres") db->exec("LOCK TABLE checkin_occupancy, event_counters IN EXCLUSIVE MODE");
    db->exec("DELETE FROM sessions");  // sessions are not backed up: a restore logs everyone out
    db->exec("DELETE FROM snapshot_changelogs");  // a backup has the changelogs as snapshot_changes rows
    db->exec("DELETE FROM snapshot_frames");  // and the payloads as text in its snapshots rows
    for (auto it = std::rbegin(kTables); it != std::rend(kTables); ++it) db->exec(std::string("DELETE FROM ") + it->name);
    for (const auto& spec : kTables) {
      const auto known = columns_of(spec.columns);
      for (const auto& t : tables) {
        if (t.name != spec.name) continue;
        for (const auto& c : t.columns)
          if (std::find(known.begin(), known.end(), c) == known.end())
            throw StoreError("backup table " + t.name + " has an unknown column '" + c + "'");
        const std::string sql = "INSERT INTO " + t.name + " (" + join(t.columns, ", ") + ") VALUES (" +
                                [&] {
                                  std::string p;
                                  for (std::size_t i = 0; i < t.columns.size(); ++i) p += i ? ", ?" : "?";
                                  return p;
                                }() +
                                ")";
        for (const auto& row : t.rows) {
          if (row.size() != t.columns.size()) throw StoreError("backup table " + t.name + ": a row has the wrong width");
          db->query(sql, row);
        }
        if (t.name == "snapshots") store_payloads_compressed(*db, t);
      }
      if (*spec.identity && db->backend() == "postgres")
        db->query(std::string("SELECT setval(pg_get_serial_sequence('") + spec.name + "', '" + spec.identity +
                  "'), COALESCE((SELECT MAX(" + spec.identity + ") FROM " + spec.name + "), 1), (SELECT COUNT(*) > 0 FROM " +
                  spec.name + "))");
    }
  });
}

void SqlStore::set_setting(const std::string& name, const std::string& value) {
  auto db = pool_.acquire();
  db->query("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            Row{name, value});
}

}  // namespace marquee
