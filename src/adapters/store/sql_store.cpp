#include "adapters/store/sql_store.hpp"

#include <future>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "adapters/postgres/pg_connection.hpp"
#include "app/batch_handoff.hpp"
#include "adapters/store/migrations.hpp"
#include "adapters/store/sql_event_upsert.hpp"
#include "core/huge_pages.hpp"
#include "core/text.hpp"
#include "core/programme_order.hpp"

namespace marquee {
namespace {

// Named queries, shared by both backends ('?' placeholders).
// kSelectEvents reads the table in its own order, not along the start index
// (random reads: 0.54 s against 0.29 s for 100,000 events on SQLite), and
// list_events() sorts by index: SQLite's sorter copied every row once more.
const std::string kSelectEvents = std::string("SELECT ") + kEventColumns + " FROM events";
// kEventColumns' places, with what a snapshot leaves out as NULL and 0 (public_events()).
const std::string kSelectPublicEvents =
    "SELECT key, title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, category, tags, "
    "organizer, url, image_url, price, capacity, status, NULL, NULL, NULL, 0, 0, 0, registration, waitlist, "
    "retention_days, questions FROM events WHERE status <> 'draft'";
const std::string kSelectEvent = std::string("SELECT ") + kEventColumns + " FROM events WHERE key = ?";
const std::string kCountEvents = "SELECT COUNT(*) FROM events";
const std::string kGeneration = "SELECT generation FROM store_generation WHERE id = 1";
const std::string kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";
const std::string kAppliedMigrations = "SELECT version FROM schema_migrations";
const std::string kUpsertCounter =
    "INSERT INTO event_counters (event_key, capacity) VALUES (?, ?) "
    "ON CONFLICT (event_key) DO UPDATE SET capacity = excluded.capacity";
const std::string kRecordMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

std::string upsert_sql() {
  std::string placeholders, updates;
  const std::string cols = kEventColumns;
  std::size_t b = 0;
  for (int i = 0; i < kEventColumnCount; ++i) {
    auto e = cols.find(',', b);
    if (e == std::string::npos) e = cols.size();
    std::string col = cols.substr(b, e - b);
    col.erase(0, col.find_first_not_of(' '));
    placeholders += i ? ", ?" : "?";
    if (col != "key" && col != "created_at") updates += (updates.empty() ? "" : ", ") + col + " = excluded." + col;
    b = e + 1;
  }
  return "INSERT INTO events (" + cols + ") VALUES (" + placeholders + ") ON CONFLICT (key) DO UPDATE SET " +
         updates;
}

std::int64_t single_int(const std::vector<Row>& rows) {
  if (rows.empty() || rows[0].empty() || !rows[0][0]) throw StoreError("expected one value");
  return std::stoll(*rows[0][0]);
}

}  // namespace

// Writes `e` (created_at, updated_at and version already set), keeps the
// capacity counter in step, and settles the waiting list when the capacity,
// status or start changed: open offers beyond the capacity, of a cancelled
// event or past the new start are withdrawn or shortened first, then freed
// places go to the waiting list.
void write_event(SqlConnection& db, const Event* previous, const Event& e, UnixSeconds now, std::int64_t confirmed) {
  static const std::string kUpsert = upsert_sql();
  // Under the counter lock, the count no registration or offer answer can change meanwhile.
  if (previous)
    if (auto counts = lock_counter(db, e.key)) confirmed = counts->confirmed;
  // The counter holds the place limit: the capacity plus the event's overbooking (place_limit).
  const auto limit = place_limit_of(db, e.key, e.capacity);
  if (limit && *limit < confirmed)
    throw CapacityBelowConfirmed("event '" + e.key + "': capacity " + std::to_string(*e.capacity) +
                                 (*limit != *e.capacity ? " (" + std::to_string(*limit) + " places with overbooking)" : std::string()) +
                                 " is below its " + std::to_string(confirmed) + " confirmed registrations");
  db.query(kUpsert, to_row(e));
  const bool settle = previous && (e.capacity != previous->capacity || e.status != previous->status ||
                                   e.starts_at != previous->starts_at);
  if (settle) settle_offers(db, e, now);
  if (previous && e.starts_at != previous->starts_at)
    // A new start: "Still coming?" is asked again at the new moment, with a new deadline (an answered yes stands).
    db.query("UPDATE registrations SET reconfirm_asked_at = NULL, reconfirm_deadline = NULL WHERE event_key = ? "
             "AND state = 'confirmed' AND reconfirmed_at IS NULL AND reconfirm_asked_at IS NOT NULL",
             Row{e.key});
  db.query(kUpsertCounter, Row{e.key, limit ? std::optional<std::string>(std::to_string(*limit)) : std::nullopt});
  if (settle) fill_places(db, e.key, now);
}

EditOutcome SqlStore::edit_event(const Event& edited, std::int64_t expected_version, UnixSeconds now,
                                 const AuditEntry* audit) {
  auto db_ = pool_.acquire();
  return in_write_transaction(*db_, [&] {
    EditOutcome out;
    auto rows = db_->query(kSelectEvent, Row{edited.key});
    if (rows.empty()) return out;  // not_found
    out.current = from_row(rows[0], db_->true_text());
    if (out.current.version != expected_version) {
      out.result = EditResult::conflict;
      return out;
    }
    if (same_content(out.current, edited)) {
      out.result = EditResult::unchanged;
      return out;
    }
    Event e = edited;
    e.created_at = out.current.created_at;
    e.version = out.current.version + 1;
    e.updated_at = now;
    auto counts = db_->query("SELECT confirmed FROM event_counters WHERE event_key = ?", Row{e.key});
    write_event(*db_, &out.current, e, now, counts.empty() ? 0 : std::stoll(counts[0][0].value_or("0")));
    bump_generation(*db_);
    if (audit) insert_audit(*db_, *audit);
    out.result = EditResult::updated;
    out.current = e;
    return out;
  });
}

SqlStore::SqlStore(std::function<std::unique_ptr<SqlConnection>()> open, int connections,
                   std::optional<std::string> listener_url, std::optional<std::string> sqlite_path)
    : pool_(std::move(open), connections), listener_url_(std::move(listener_url)), sqlite_path_(std::move(sqlite_path)) {}

void SqlStore::migrate() {
  auto db_ = pool_.acquire();
  in_write_transaction(*db_, [&] {
    db_->exec(kCreateMigrations);
    std::map<int, bool> applied;
    for (const auto& row : db_->query(kAppliedMigrations)) applied[std::stoi(row[0].value_or("0"))] = true;
    for (const auto& m : migrations_for(db_->backend())) {
      if (applied.count(m.number)) continue;
      for (const auto& stmt : split_statements(m.sql)) db_->exec(stmt);
      db_->query(kRecordMigration, Row{std::to_string(m.number), m.name, "0"});
    }
  });
}

StoreHealth SqlStore::health() const {
  const auto s = pool_.stats();
  return StoreHealth{s.opened, s.failures, listener_url_ ? postgres_reconnects() : 0, s.open};
}

int SqlStore::schema_version() {
  auto db_ = pool_.acquire();
  db_->exec(kCreateMigrations);
  auto rows = db_->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(single_int(rows));
}

void bump_generation(SqlConnection& db) { db.exec("UPDATE store_generation SET generation = generation + 1 WHERE id = 1"); }

UpsertResult SqlStore::upsert_events(const std::vector<Event>& events, UnixSeconds now) {
  auto db_ = pool_.acquire();
  return in_write_transaction(*db_, [&] { return upsert_in(*db_, events, now, nullptr); });
}

bool SqlStore::create_event(const Event& e, UnixSeconds now, const AuditEntry& audit) {
  auto db_ = pool_.acquire();
  return in_write_transaction(*db_, [&] {
    if (!db_->query(kSelectEvent, Row{e.key}).empty()) return false;
    upsert_in(*db_, {e}, now, nullptr);
    insert_audit(*db_, audit);
    return true;
  });
}

namespace {

// From this many events on, the rows are turned into events on a second thread while the
// statement steps on (at 100,000 events 0.45 s on one thread, about half of it each).
constexpr std::int64_t kConvertAlongsideMin = 4000;
constexpr std::size_t kRowBatch = 256;

struct ReadStopped {};  // the converting thread stopped: the statement is abandoned

/// Reads the rows of `sql` on `db` (this thread) and turns them into events
/// given to `append(Event&&)` on another thread, handed over in batches.
template <typename Append>
void read_events_alongside(SqlConnection& db, const std::string& sql, Append append) {
  const std::string true_text = db.true_text();
  BatchHandoff<Row> handoff(4);
  auto converting = std::async(std::launch::async, [&] {
    try {
      for (std::vector<Row> batch; handoff.pop(batch);)
        for (Row& row : batch) append(from_row(std::move(row), true_text));
    } catch (...) {
      handoff.close();  // the reader's next push stops it
      throw;
    }
  });
  try {
    std::vector<Row> batch;
    batch.reserve(kRowBatch);
    db.query_each(sql, {}, [&](Row&& row) {
      batch.push_back(std::move(row));
      if (batch.size() < kRowBatch) return;
      if (!handoff.push(std::move(batch))) throw ReadStopped{};
      batch = {};
      batch.reserve(kRowBatch);
    });
    if (!batch.empty()) handoff.push(std::move(batch));
    handoff.finish();
  } catch (const ReadStopped&) {
    // the converting thread's error is thrown below
  } catch (...) {
    handoff.close();
    converting.wait();
    throw;
  }
  converting.get();
}

}  // namespace

std::vector<Event> SqlStore::list_events() { return read_events(kSelectEvents); }

std::vector<Event> SqlStore::list_public_events() { return read_events(kSelectPublicEvents); }

EventBlocks SqlStore::read_public_events() {
  // Always converted on a second thread: without a count there is nothing to choose by (a thread
  // started for a short programme costs far less than the count did for a long one).
  auto db_ = pool_.acquire();
  EventBlocks out;
  read_events_alongside(*db_, kSelectPublicEvents, [&out](Event&& e) { out.push_back(std::move(e)); });
  return out;
}

std::vector<Event> SqlStore::read_events(const std::string& select) {
  auto db_ = pool_.acquire();
  std::vector<Event> out;
  // Sized first (a count is read along the smallest index): growing by doubling moved
  // every event about twice more, into new memory, at 100,000 events 0.6 KB each. Drafts
  // are counted too (their room is reserved, never touched): counting without them
  // would read the table on SQLite instead of its smallest index.
  const std::int64_t count = std::max<std::int64_t>(0, single_int(db_->query(kCountEvents)));
  reserve_huge_pages(out, static_cast<std::size_t>(count));
  if (count >= kConvertAlongsideMin) {
    read_events_alongside(*db_, select, [&out](Event&& e) { out.push_back(std::move(e)); });
  } else {
    const std::string true_text = db_->true_text();
    db_->query_each(select, {}, [&](Row&& row) { out.push_back(from_row(std::move(row), true_text)); });
  }
  return in_programme_order(std::move(out));
}

// The keys with the prefix are a range of the key index in byte order (SQLite's
// BINARY, PostgreSQL's COLLATE "C" since migration 0022): [prefix, the prefix
// with its last code point raised by one), valid UTF-8 as PostgreSQL wants its
// text. Not a scan of every event.
std::vector<Event> SqlStore::events_with_key_prefix(const std::string& prefix) {
  static const std::string kRange = std::string("SELECT ") + kEventColumns +
                                    " FROM events WHERE key >= ? AND key < ? ORDER BY key";
  static const std::string kFrom = std::string("SELECT ") + kEventColumns + " FROM events WHERE key >= ? ORDER BY key";
  const std::string after = prefix_successor(prefix);
  auto db_ = pool_.acquire();
  std::vector<Event> out;
  for (const auto& row : after.empty() ? db_->query(kFrom, Row{prefix}) : db_->query(kRange, Row{prefix, after}))
    out.push_back(from_row(row, db_->true_text()));
  return out;
}

std::optional<Event> SqlStore::find_event(const std::string& key) {
  auto db_ = pool_.acquire();
  auto rows = db_->query(kSelectEvent, Row{key});
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0], db_->true_text());
}

std::int64_t SqlStore::count_events() {
  auto db_ = pool_.acquire();
  return single_int(db_->query(kCountEvents));
}

std::map<std::string, std::int64_t> SqlStore::time_zone_counts() {
  auto db_ = pool_.acquire();
  std::map<std::string, std::int64_t> out;
  for (const auto& r : db_->query("SELECT time_zone, COUNT(*) FROM events GROUP BY time_zone"))
    out[r[0].value_or("")] += std::stoll(r[1].value_or("0"));
  return out;
}

std::string SqlStore::ensure_setting(const std::string& name, const std::string& value_if_missing) {
  auto db_ = pool_.acquire();
  db_->query("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", Row{name, value_if_missing});
  return db_->query("SELECT value FROM settings WHERE name = ?", Row{name}).at(0).at(0).value_or("");
}

Store::DeleteOutcome SqlStore::delete_events(const std::vector<std::string>& keys, UnixSeconds now,
                                            const std::function<AuditEntry(const Event&)>& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    DeleteOutcome out;
    lock_counters(*db, keys);  // in key order, before any is changed (each lock_counter below then one statement)
    for (const auto& key : keys) {
      auto rows = db->query(kSelectEvent, Row{key});
      if (rows.empty()) {
        out.refused.emplace_back(key, "no such event");
        continue;
      }
      lock_counter(*db, key);  // a registration in flight for this event finishes first, or waits for us
      const auto regs = db->query("SELECT COUNT(*) FROM registrations WHERE event_key = ?", Row{key});
      const std::int64_t n = regs.empty() ? 0 : std::stoll(regs[0][0].value_or("0"));
      if (n > 0) {
        out.refused.emplace_back(key, "it has " + std::to_string(n) + (n == 1 ? " registration" : " registrations") +
                                          ": cancel the event instead, so that attendees are told");
        continue;
      }
      Event e = from_row(rows[0], db->true_text());
      db->query("DELETE FROM events WHERE key = ?", Row{key});
      db->query("DELETE FROM event_counters WHERE event_key = ?", Row{key});
      AuditEntry a = audit(e);
      if (!a.at) a.at = now;
      insert_audit(*db, a);
      out.deleted.push_back(std::move(e));
    }
    if (!out.deleted.empty()) bump_generation(*db);
    return out;
  });
}

std::optional<AuditEntry> SqlStore::find_audit(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT id, at, actor, action, target, before_value, after_value FROM audit_log WHERE id = CAST(? AS BIGINT)",
                        Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return AuditEntry{std::stoll(r[0].value_or("0")), std::stoll(r[1].value_or("0")), r[2].value_or(""), r[3].value_or(""),
                    r[4].value_or(""), r[5].value_or(""), r[6].value_or("")};
}

std::map<std::string, std::string> SqlStore::settings_with_prefix(const std::string& prefix) {
  auto db = pool_.acquire();
  std::map<std::string, std::string> out;
  // substr, not LIKE: a '_' or '%' in the prefix is not a pattern.
  for (const auto& r : db->query("SELECT name, value FROM settings WHERE substr(name, 1, CAST(? AS INTEGER)) = ?",
                                 Row{std::to_string(prefix.size()), prefix}))
    out.emplace(r[0].value_or(""), r[1].value_or(""));
  return out;
}

void SqlStore::save_settings(const std::map<std::string, std::optional<std::string>>& values, const AuditEntry& e) {
  auto db = pool_.acquire();
  in_write_transaction(*db, [&] {
    for (const auto& [name, value] : values) {
      if (value)
        db->query("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                  Row{name, *value});
      else
        db->query("DELETE FROM settings WHERE name = ?", Row{name});
    }
    insert_audit(*db, e);
  });
}

std::int64_t SqlStore::generation() {
  auto db_ = pool_.acquire();
  return single_int(db_->query(kGeneration));
}

}  // namespace marquee
