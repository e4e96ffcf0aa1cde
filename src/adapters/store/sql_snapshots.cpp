// Snapshot methods of SqlStore.
#include <algorithm>

#include "adapters/postgres/pg_listener.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

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

}  // namespace

std::optional<std::int64_t> SqlStore::live_snapshot_number() {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT number FROM live_snapshot WHERE id = 1");
  if (rows.empty()) return std::nullopt;
  return std::stoll(rows[0][0].value_or("0"));
}

std::optional<Snapshot> SqlStore::snapshot(std::int64_t number) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kInfoColumns + ", payload FROM snapshots WHERE number = ?", Row{std::to_string(number)});
  if (rows.empty()) return std::nullopt;
  return Snapshot{info_from_row(rows[0]), rows[0][8].value_or("")};
}

std::vector<SnapshotInfo> SqlStore::list_snapshots() {
  auto db = pool_.acquire();
  std::vector<SnapshotInfo> out;
  for (const auto& r : db->query("SELECT " + kInfoColumns + " FROM snapshots ORDER BY number DESC")) out.push_back(info_from_row(r));
  return out;
}

std::vector<EventChange> SqlStore::snapshot_changes(std::int64_t number) {
  auto db = pool_.acquire();
  std::vector<EventChange> out;
  for (const auto& r : db->query("SELECT event_key, change, fields FROM snapshot_changes WHERE snapshot_number = ? "
                                 "ORDER BY position",
                                 Row{std::to_string(number)})) {
    const std::string kind = r[1].value_or("");
    out.push_back(EventChange{r[0].value_or(""),
                              kind == "added" ? ChangeKind::added : kind == "removed" ? ChangeKind::removed : ChangeKind::changed,
                              split_list(r[2].value_or(""), ',')});
  }
  return out;
}

SnapshotInfo SqlStore::publish_snapshot(SnapshotInfo info, const std::string& payload,
                                        const std::vector<EventChange>& changes, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    info.number = std::stoll(db->query("SELECT COALESCE(MAX(number), 0) + 1 FROM snapshots").at(0).at(0).value_or("1"));
    info.created_at = now;
    db->query("INSERT INTO snapshots (" + kInfoColumns + ", payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              Row{std::to_string(info.number), std::to_string(now), info.author, info.note, info.kind,
                  info.based_on ? std::optional<std::string>(std::to_string(*info.based_on)) : std::nullopt,
                  info.content_hash, std::to_string(info.event_count), payload});
    // The changelog in multi-row inserts of up to 500 rows (a first publish of
    // 100,000 events would otherwise be 100,000 round trips).
    std::int64_t position = 0;
    for (std::size_t begin = 0; begin < changes.size(); begin += 500) {
      const std::size_t end = std::min(changes.size(), begin + 500);
      std::string values;
      Row params;
      for (std::size_t i = begin; i < end; ++i) {
        const auto& c = changes[i];
        values += std::string(values.empty() ? "" : ", ") + "(?, ?, ?, ?, ?)";
        for (auto& v : Row{std::to_string(info.number), std::to_string(position++), c.event_key,
                           std::string(to_string(c.kind)), join(c.fields, ",")})
          params.push_back(std::move(v));
      }
      db->query("INSERT INTO snapshot_changes (snapshot_number, position, event_key, change, fields) VALUES " + values,
                params);
    }
    db->query("INSERT INTO live_snapshot (id, number, changed_at) VALUES (1, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET number = excluded.number, changed_at = excluded.changed_at",
              Row{std::to_string(info.number), std::to_string(now)});
    // Delivered by PostgreSQL only if this transaction commits.
    if (db->backend() == "postgres")
      db->query("SELECT pg_notify(?, ?)", Row{std::string(kLiveChannel), std::to_string(info.number)});
    return info;
  });
}

std::unique_ptr<LiveListener> SqlStore::listen_live() {
  if (!listener_url_) return nullptr;
  return open_pg_listener(*listener_url_);
}

}  // namespace marquee
