// Snapshot methods of SqlStore.
#include <algorithm>
#include <future>
#include <set>
#include <string_view>

#include <spdlog/spdlog.h>

#include "adapters/postgres/pg_listener.hpp"
#include "adapters/sqlite/sqlite_live_signal.hpp"
#include <boost/json/serialize.hpp>

#include "adapters/store/payload_frames.hpp"
#include "adapters/store/stored_frames.hpp"
#include "adapters/store/stored_pieces.hpp"
#include "adapters/store/snapshot_storage.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"
#include "core/webhook.hpp"

namespace marquee {
namespace {

const std::string kInfoColumns = "number, created_at, author, note, kind, based_on, content_hash, event_count";

SnapshotInfo info_from_row(const Row& r) {
  SnapshotInfo s;
  s.number = std::stoll(r[0].value_or("0"));
  s.created_at = std::stoll(r[1].value_or("0"));
  s.author = r[2].value_or("");
  s.note = r[3].value_or("");
  s.kind = r[4].value_or("");
  if (r[5]) s.based_on = std::stoll(*r[5]);
  s.content_hash = r[6].value_or("");
  s.event_count = std::stoll(r[7].value_or("0"));
  return s;
}

FieldValuesList decode_details(const std::string& text) {
  FieldValuesList out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    const auto a = line.find('\t');
    const auto b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    out.push_back(std::string_view(line).substr(0, a), std::string_view(line).substr(a + 1, b - a - 1),
                  std::string_view(line).substr(b + 1));
  }
  return out;
}

EventChange change_from_row(const Row& r) {
  const std::string kind = r[1].value_or("");
  return EventChange{r[0].value_or(""),
                     kind == "added" ? ChangeKind::added : kind == "removed" ? ChangeKind::removed : ChangeKind::changed,
                     split_list(r[2].value_or(""), ','), decode_details(r[3].value_or(""))};
}


constexpr std::size_t kChunk = 400;

// When the rows a publish writes or folds are due, as SQL parameters.
struct FoldTiming {
  std::string now, number, due, cap;
  std::optional<std::string> base;
  FoldTiming(const PublishNotices& notices, std::int64_t snapshot, std::optional<std::int64_t> base_snapshot, UnixSeconds at)
      : now(std::to_string(at)), number(std::to_string(snapshot)), due(std::to_string(at + notices.quiet_seconds)),
        cap(std::to_string(notices.max_delay_seconds > 0 ? notices.max_delay_seconds : 100LL * 365 * 86400)),
        base(base_snapshot ? std::optional<std::string>(std::to_string(*base_snapshot)) : std::nullopt) {}
};

// Folds the publish into the pending `kind` rows no worker holds whose
// `column` is one of `values`: the last snapshot folded in, a new revision,
// due after the quiet period but never past the first change + the cap.
void fold_pending(SqlConnection& db, const char* kind, const char* column, const Row& values, const FoldTiming& t) {
  Row fold{t.number, t.now, t.cap, t.due, t.cap, t.due, std::string(kind), t.now};
  fold.insert(fold.end(), values.begin(), values.end());
  db.query("UPDATE outbox SET snapshot_number = CAST(? AS BIGINT), revision = revision + 1, updated_at = CAST(? AS BIGINT), "
           "due_at = CASE WHEN created_at + CAST(? AS BIGINT) < CAST(? AS BIGINT) THEN created_at + CAST(? AS BIGINT) "
           "ELSE CAST(? AS BIGINT) END "
           "WHERE kind = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < CAST(? AS BIGINT)) "
           "AND " + std::string(column) + " IN (" + placeholders(values.size()) + ")",
           fold);
}

// The outbox rows of a publish (see SnapshotStore::publish_snapshot).
void write_notices(SqlConnection& db, const PublishNotices& notices, std::int64_t snapshot,
                   std::optional<std::int64_t> base, UnixSeconds now) {
  const FoldTiming t(notices, snapshot, base, now);
  const std::string& n = t.now;
  for (std::size_t begin = 0; begin < notices.event_keys.size(); begin += kChunk) {
    const std::size_t end = std::min(notices.event_keys.size(), begin + kChunk);
    Row keys(notices.event_keys.begin() + begin, notices.event_keys.begin() + end);
    const std::string in = std::string("(").append(placeholders(keys.size())).append(")");
    // Fold into pending rows no worker holds: one message per attendee and event.
    fold_pending(db, "event_changed", "event_key", keys, t);
    Row insert{":" + t.number, n, t.due, t.base, t.number, n};
    insert.insert(insert.end(), keys.begin(), keys.end());
    insert.push_back(n);
    db.query("INSERT INTO outbox (kind, event_key, registration_id, dedup_key, created_at, due_at, state, base_snapshot, "
             "snapshot_number, updated_at) "
             "SELECT 'event_changed', r.event_key, r.id, 'event_changed:' || CAST(r.id AS TEXT) || ?, CAST(? AS BIGINT), "
             "CAST(? AS BIGINT), 'pending', CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT) "
             "FROM registrations r WHERE r.event_key IN " + in + " AND r.state IN ('confirmed', 'waitlisted') "
             "AND r.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.registration_id = r.id "
             "AND o.kind = 'event_changed' AND o.state = 'pending' "
             "AND (o.claimed_until IS NULL OR o.claimed_until < CAST(? AS BIGINT)))",
             insert);
  }
}

// The outbox rows of a publish for agenda alerts: one agenda_alert row per
// confirmed alert whose agenda follows a notifying event, folded like
// event_changed rows (one message per alert however many publishes).
void write_alert_notices(SqlConnection& db, const PublishNotices& notices, std::int64_t snapshot,
                         std::optional<std::int64_t> base, UnixSeconds now) {
  if (notices.event_keys.empty()) return;
  Row ids;
  for (auto& [id, followed] : confirmed_alerts_following(db, {notices.event_keys.begin(), notices.event_keys.end()}))
    ids.push_back(std::move(id));
  const FoldTiming t(notices, snapshot, base, now);
  const std::string& n = t.now;
  for (std::size_t begin = 0; begin < ids.size(); begin += kChunk) {
    const std::size_t end = std::min(ids.size(), begin + kChunk);
    const Row chunk(ids.begin() + begin, ids.begin() + end);
    const std::string in = std::string("(").append(placeholders(chunk.size())).append(")");
    fold_pending(db, "agenda_alert", "alert_id", chunk, t);
    Row insert{":" + t.number, n, t.due, t.base, t.number, n};
    insert.insert(insert.end(), chunk.begin(), chunk.end());
    insert.push_back(n);
    db.query("INSERT INTO outbox (kind, event_key, alert_id, dedup_key, created_at, due_at, state, base_snapshot, "
             "snapshot_number, updated_at) "
             "SELECT 'agenda_alert', '', al.id, 'agenda_alert:' || CAST(al.id AS TEXT) || ?, CAST(? AS BIGINT), "
             "CAST(? AS BIGINT), 'pending', CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT) "
             "FROM agenda_alerts al WHERE al.id IN " + in + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = al.id "
             "AND o.kind = 'agenda_alert' AND o.state = 'pending' "
             "AND (o.claimed_until IS NULL OR o.claimed_until < CAST(? AS BIGINT)))",
             insert);
  }
}

// SEQUENCE + 1 for every changed or removed event.
void bump_sequences(SqlConnection& db, const std::vector<EventChange>& changes) {
  Row keys;
  for (const auto& c : changes)
    if (c.kind != ChangeKind::added) keys.push_back(c.event_key);
  for (std::size_t begin = 0; begin < keys.size(); begin += kChunk) {
    const std::size_t end = std::min(keys.size(), begin + kChunk);
    std::string values;
    for (std::size_t i = begin; i < end; ++i) values += std::string(values.empty() ? "" : ", ") + "(?, 1)";
    db.query("INSERT INTO event_sequences (event_key, sequence) VALUES " + values +
                 " ON CONFLICT (event_key) DO UPDATE SET sequence = event_sequences.sequence + 1",
             Row(keys.begin() + begin, keys.begin() + end));
  }
}

// On SQLite a commit copies the WAL into the database file when the WAL is over 1,000
// pages (its automatic checkpoint; a publish of 100,000 events writes 1,500), before the
// publish can signal the servers: 50–80 ms. For the life of this object the connection's
// automatic checkpoint is off (its setting is put back after); run() checkpoints once
// the servers are signalled. (A server committing in between may run it itself; one
// already running makes the other skip.) Does nothing on PostgreSQL.
class DeferredCheckpoint {
 public:
  explicit DeferredCheckpoint(SqlConnection& db) {
    if (db.backend() != "sqlite") return;
    const auto was = db.query("PRAGMA wal_autocheckpoint");
    pages_ = std::to_string(std::stoll(was.at(0).at(0).value_or("1000")));  // a number, never text
    db.exec("PRAGMA wal_autocheckpoint = 0");
    db_ = &db;
  }
  DeferredCheckpoint(const DeferredCheckpoint&) = delete;
  DeferredCheckpoint& operator=(const DeferredCheckpoint&) = delete;
  ~DeferredCheckpoint() {
    if (!db_) return;
    try {
      db_->exec("PRAGMA wal_autocheckpoint = " + pages_);
    } catch (const std::exception& e) {
      spdlog::error("SQLite: the automatic checkpoint of a connection could not be turned back on ({})", e.what());
    }
  }
  /// What the commit's automatic checkpoint would have done; readers are not waited for.
  void run(std::int64_t snapshot) {
    if (!db_) return;
    try {
      db_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const std::exception& e) {
      spdlog::warn("snapshot {} is live; its write-ahead log is checkpointed later ({})", snapshot, e.what());
    }
  }

 private:
  SqlConnection* db_ = nullptr;
  std::string pages_;  // the connection's setting before
};

}  // namespace

std::optional<std::int64_t> SqlStore::live_snapshot_number() {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT number FROM live_snapshot WHERE id = 1");
  if (rows.empty()) return std::nullopt;
  return std::stoll(rows[0][0].value_or("0"));
}

namespace {

// Snapshot `number` as `make(db, row)` makes it from its row (kInfoColumns, then
// kPayloadLayoutColumns' two values) and the payload it reads, in one read state: a restore
// committing between the two reads turns text payloads into frames. nullopt when there is
// no such row, or `make` gives none. Throws StoreError as the reads do, and what `make` throws.
template <typename Whole, typename Make>
std::optional<Whole> read_snapshot(SqlConnection& db, std::int64_t number, const Make& make) {
  return in_read_snapshot(db, [&]() -> std::optional<Whole> {
    auto rows = db.query("SELECT " + kInfoColumns + ", " + kPayloadLayoutColumns + " FROM snapshots WHERE number = ?",
                         Row{std::to_string(number)});
    if (rows.empty()) return std::nullopt;
    return make(db, rows[0]);
  });
}

}  // namespace

std::optional<Snapshot> SqlStore::snapshot(std::int64_t number) {
  auto db = pool_.acquire();
  // The payload read on its own: a frame a row (migration 0027: about 40 rows of 100 KB at
  // 100,000 events), one value of frames (0024), or text for a snapshot written before.
  return read_snapshot<Snapshot>(*db, number, [number](SqlConnection& c, const Row& row) -> std::optional<Snapshot> {
    auto payload = read_stored_payload(c, number, row[8], row[9]);
    if (!payload) return std::nullopt;
    return Snapshot{info_from_row(row), std::move(*payload)};
  });
}

std::optional<PiecedSnapshot> SqlStore::snapshot_pieces(std::int64_t number) {
  auto db = pool_.acquire();
  return read_snapshot<PiecedSnapshot>(*db, number, [number](SqlConnection& c, const Row& row) -> std::optional<PiecedSnapshot> {
    auto payload = read_stored_pieces(c, number, row[8], row[9]);
    if (!payload) return std::nullopt;
    return PiecedSnapshot{info_from_row(row), std::move(payload)};
  });
}

std::vector<SnapshotInfo> SqlStore::list_snapshots() {
  auto db = pool_.acquire();
  std::vector<SnapshotInfo> out;
  for (const auto& r : db->query("SELECT " + kInfoColumns + " FROM snapshots ORDER BY number DESC")) out.push_back(info_from_row(r));
  return out;
}

std::vector<EventChange> SqlStore::snapshot_changes(std::int64_t number) {
  auto db = pool_.acquire();
  return in_read_snapshot(*db, [&] {
    if (auto framed = read_changelog_frame(*db, number)) return std::move(*framed);
    std::vector<EventChange> out;  // a snapshot written before migration 0024, or restored from a backup: rows
    for (const auto& r : db->query("SELECT event_key, change, fields, details FROM snapshot_changes WHERE snapshot_number = ? "
                                   "ORDER BY position",
                                   Row{std::to_string(number)}))
      out.push_back(change_from_row(r));
    return out;
  });
}

std::vector<std::pair<std::int64_t, EventChange>> SqlStore::recent_changes(std::int64_t upto, int limit) {
  auto db = pool_.acquire();
  const std::size_t wanted = static_cast<std::size_t>(std::max(limit, 0));
  return in_read_snapshot(*db, [&] {
    // Changelogs kept as frames, and the rows of snapshots written before (or restored), newest
    // first and each snapshot's changes in order; the rows come along an index
    // (snapshot_changes_recent). A snapshot with both (never written so) is read from its frame,
    // as snapshot_changes() reads it.
    std::vector<std::int64_t> framed;
    for (const auto& r : db->query("SELECT snapshot_number FROM snapshot_changelogs WHERE snapshot_number <= CAST(? AS BIGINT) "
                                   "ORDER BY snapshot_number DESC",
                                   Row{std::to_string(upto)}))
      framed.push_back(std::stoll(r[0].value_or("0")));
    std::vector<std::pair<std::int64_t, EventChange>> rows;
    for (const auto& r : db->query("SELECT event_key, change, fields, details, snapshot_number FROM snapshot_changes "
                                   "WHERE snapshot_number <= CAST(? AS BIGINT) AND snapshot_number NOT IN "
                                   "(SELECT snapshot_number FROM snapshot_changelogs) "
                                   "ORDER BY snapshot_number DESC, position LIMIT " + std::to_string(wanted),
                                   Row{std::to_string(upto)}))
      rows.emplace_back(std::stoll(r[4].value_or("0")), change_from_row(r));
    std::vector<std::pair<std::int64_t, EventChange>> out;
    auto next_row = rows.begin();
    for (auto next_frame = framed.begin(); out.size() < wanted && (next_frame != framed.end() || next_row != rows.end());) {
      if (next_frame != framed.end() && (next_row == rows.end() || *next_frame > next_row->first)) {
        // Decompressed only as far as the lines kept (at 100,000 changes 1,000 lines of 12 MB).
        if (auto framed = read_changelog_frame(*db, *next_frame, wanted - out.size()))
          for (auto& c : *framed) out.emplace_back(*next_frame, std::move(c));
        ++next_frame;
      } else {
        out.push_back(std::move(*next_row++));
      }
    }
    return out;
  });
}

FramedPayload SqlStore::frame_payload(std::size_t parts, const PayloadWriter& write) {
  return frame_payload_parts(parts, write);
}

SnapshotInfo SqlStore::publish_snapshot(SnapshotInfo info, std::string_view payload,
                                        const std::vector<EventChange>& changes, UnixSeconds now,
                                        const PublishNotices& notices, const AuditEntry* audit) {
  return publish_snapshot(std::move(info), frame_payload_bytes(payload), changes, now, notices, audit);
}

SnapshotInfo SqlStore::publish_snapshot(SnapshotInfo info, const FramedPayload& payload,
                                        const std::vector<EventChange>& changes, UnixSeconds now,
                                        const PublishNotices& notices, const AuditEntry* audit) {
  // The changelog's frame is made on a thread of its own (at 100,000 added events 12 MB
  // of lines to encode and compress). On PostgreSQL the transaction takes it after
  // writing the payload: the database's backend is busy with the 4 MB for a while
  // (`perf`: the client idle meanwhile), and a registration does not wait for this
  // transaction's lock. On SQLite the write lock is every writer's, so it is taken once
  // the frame is made. The future waits in its destructor for the work reading `changes`.
  if (payload.frames.empty()) throw StoreError("a snapshot payload with no frame (SnapshotStore::frame_payload makes one)");
  std::future<std::string> changelog_frame = std::async(std::launch::async, [&changes] { return changelog_frames(changes); });
  auto db = pool_.acquire();
  if (db->backend() != "postgres") changelog_frame.wait();
  DeferredCheckpoint deferred_checkpoint(*db);  // SQLite: run after the signal, below
  SnapshotInfo published = in_write_transaction(*db, [&] {
    std::optional<std::int64_t> base;
    if (auto live = db->query("SELECT number FROM live_snapshot WHERE id = 1"); !live.empty())
      base = std::stoll(live[0][0].value_or("0"));
    info.number = std::stoll(db->query("SELECT COALESCE(MAX(number), 0) + 1 FROM snapshots").at(0).at(0).value_or("1"));
    info.created_at = now;
    // The payload as LZ4 frames, a frame a row (migration 0027; a frame a piece of about 1 MiB of
    // whole lines): 44 MB of JSON Lines at 100,000 events, 3.9 MB written in about 40 rows.
    // `payload` holds a line no snapshot decoder accepts.
    db->query("INSERT INTO snapshots (" + kInfoColumns + ", payload, payload_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              Row{std::to_string(info.number), std::to_string(now), info.author, info.note, info.kind,
                  info.based_on ? std::optional<std::string>(std::to_string(*info.based_on)) : std::nullopt,
                  info.content_hash, std::to_string(info.event_count), std::string(kPayloadInRows),
                  std::to_string(payload.content_bytes)});
    // Rows of this number can only be left from a restore by a binary before schema 27, which
    // did not clear them: never this snapshot's.
    db->query("DELETE FROM snapshot_frames WHERE snapshot_number = CAST(? AS BIGINT)", Row{std::to_string(info.number)});
    write_payload_rows(*db, info.number, payload.frames);
    // The changelog as LZ4 frames of text lines (migration 0024, changelog_frames): a first
    // publish of 100,000 events was 100,000 rows inserted one by one.
    if (!changes.empty()) {
      db->query("INSERT INTO snapshot_changelogs (snapshot_number, change_count, changes_lz4) VALUES (?, ?, '')",
                Row{std::to_string(info.number), std::to_string(changes.size())});
      db->write_bytes("snapshot_changelogs", "changes_lz4", "snapshot_number", info.number, changelog_frame.get());
    }
    bump_sequences(*db, changes);
    if (const auto wanted = subscribed_webhook_types(*db); !wanted.empty()) {
      // event.published, then event.changed per event (at most kMaxChangedWebhooks), in the publish's transaction.
      std::vector<WebhookEvent> hooks;
      const bool omitted = changes.size() > kMaxChangedWebhooks;
      boost::json::object published{{"snapshot", boost::json::object{{"number", info.number},
                                                                     {"kind", info.kind},
                                                                     {"events", info.event_count},
                                                                     {"changes", changes.size()}}}};
      if (omitted) published["changed_events_omitted"] = true;
      if (wanted.count("event.published")) hooks.push_back(WebhookEvent{"event.published", boost::json::serialize(published)});
      for (const auto& c : changes) {
        if (omitted || !wanted.count("event.changed")) break;
        boost::json::array fields;
        for (const auto& f : c.fields) fields.emplace_back(f);
        hooks.push_back(WebhookEvent{"event.changed", boost::json::serialize(boost::json::object{
                                                          {"event", boost::json::object{{"key", c.event_key},
                                                                                        {"change", std::string(to_string(c.kind))},
                                                                                        {"fields", std::move(fields)}}},
                                                          {"snapshot", info.number}})});
      }
      record_webhooks(*db, hooks, now);
    }
    write_notices(*db, notices, info.number, base, now);
    write_alert_notices(*db, notices, info.number, base, now);
    db->query("INSERT INTO live_snapshot (id, number, changed_at) VALUES (1, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET number = excluded.number, changed_at = excluded.changed_at",
              Row{std::to_string(info.number), std::to_string(now)});
    if (audit) {
      AuditEntry a = *audit;
      a.at = now;
      if (a.target.empty()) a.target = "snapshot " + std::to_string(info.number);
      insert_audit(*db, a);
    }
    // Delivered by PostgreSQL only if this transaction commits.
    if (db->backend() == "postgres")
      db->query("SELECT pg_notify(?, ?)", Row{std::string(kLiveChannel), std::to_string(info.number)});
    return info;
  });
  // SQLite's counterpart, once committed (best effort: servers still poll).
  if (sqlite_path_)
    if (const auto error = signal_live_change(*sqlite_path_))
      spdlog::warn("snapshot {} is live; other servers see it at their next poll ({})", published.number, *error);
  deferred_checkpoint.run(published.number);
  return published;
}

std::unique_ptr<LiveListener> SqlStore::listen_live() {
  if (listener_url_) return open_pg_listener(*listener_url_);
  if (sqlite_path_) return open_sqlite_listener(*sqlite_path_);
  return nullptr;
}

}  // namespace marquee
