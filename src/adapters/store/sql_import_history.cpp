// Import history methods of SqlStore: committed imports recorded with what
// they replaced, and reverting one (issue 14).
#include <boost/json.hpp>

#include <algorithm>
#include <string_view>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_event_upsert.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

namespace json = boost::json;

// A row as {"column": "text" | null}: by name, so that rows recorded before
// a later migration adds a column still read back (the new column is NULL).
std::string row_json(const Row& row) {
  const auto names = split_list(kEventColumns, ',');
  json::object o;
  for (std::size_t i = 0; i < names.size() && i < row.size(); ++i) {
    if (row[i]) o[names[i]] = json::string(*row[i]);
    else o[names[i]] = nullptr;
  }
  return json::serialize(o);
}

Row json_row(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) throw StoreError("import history: a previous event cannot be read");
  Row row;
  for (const auto& name : split_list(kEventColumns, ',')) {
    const json::value* x = v.as_object().if_contains(name);
    if (!x || x->is_null()) row.emplace_back(std::nullopt);
    else if (x->is_string()) row.emplace_back(std::string(x->as_string()));
    else throw StoreError("import history: a previous event cannot be read");
  }
  return row;
}

std::int64_t as_int(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

// Keys of added events in one import_additions row.
constexpr std::size_t kAddedPerRow = 5000;

// What an import did to one event: the version it wrote, and the event
// before it (none when the import added it).
struct ImportedChange {
  std::string key;
  std::int64_t new_version = 0;
  std::optional<std::string> previous;
};

// An import's changes in key order: import_changes' rows and the keys listed
// in import_additions (added at version 1).
std::vector<ImportedChange> imported_changes(SqlConnection& db, std::int64_t id) {
  std::vector<ImportedChange> out;
  for (auto& c : db.query("SELECT event_key, new_version, previous FROM import_changes WHERE import_id = CAST(? AS BIGINT)",
                          Row{std::to_string(id)}))
    out.push_back(ImportedChange{c[0].value_or(""), as_int(c[1]), std::move(c[2])});
  for (const auto& a : db.query("SELECT event_keys FROM import_additions WHERE import_id = CAST(? AS BIGINT) ORDER BY part",
                                Row{std::to_string(id)})) {
    const std::string keys = a[0].value_or("");
    for (std::string_view list = keys; !list.empty();) {  // as written: no trimming
      const std::size_t end = std::min(list.find('\n'), list.size());
      out.push_back(ImportedChange{std::string(list.substr(0, end)), 1, std::nullopt});
      list.remove_prefix(std::min(end + 1, list.size()));
    }
  }
  std::sort(out.begin(), out.end(), [](const ImportedChange& a, const ImportedChange& b) { return a.key < b.key; });
  return out;
}


}  // namespace

UpsertResult SqlStore::import_events(const std::vector<Event>& events, UnixSeconds now, const ImportRun& run) {
  bool given = false;
  return import_event_batches(now, run, [&](std::vector<Event>& batch) {
    if (given) return false;
    given = true;
    batch = events;
    return true;
  });
}

UpsertResult SqlStore::import_event_batches(UnixSeconds now, const ImportRun& run,
                                            const std::function<bool(std::vector<Event>&)>& next) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    // The run is recorded first (its id names the history rows) and its
    // counts are filled in at the end, in the same transaction.
    const auto id = db->query("INSERT INTO import_runs (at, actor, file, format, inserted, updated, unchanged) "
                              "VALUES (?, ?, ?, ?, 0, 0, 0) RETURNING id",
                              Row{std::to_string(now), run.actor, run.file, run.format});
    const std::string import_id = id.at(0).at(0).value_or("0");
    EventUpsert upsert(*db, now, true);
    std::vector<Event> batch;
    std::vector<UpsertChange> changes;
    std::vector<Row> rows;
    // Added events as lists of keys (import_additions, a row per kAddedPerRow),
    // written at the end on both stores: on PostgreSQL each write ends the
    // events' COPY (EventUpsert), and the keys are a fraction of the file's
    // size. Changed ones, and a key a list cannot hold, a row each in
    // import_changes, written with their batch (their rows hold the events
    // before, too much to keep; on PostgreSQL a batch with changes ends the
    // COPY for them).
    std::vector<Row> added_rows;
    std::string added;
    std::size_t added_count = 0;
    const auto end_added = [&] {
      if (added_count == 0) return;
      added_rows.push_back(Row{import_id, std::to_string(added_rows.size()), std::move(added)});
      added.clear();
      added_count = 0;
    };
    while (next(batch)) {
      changes.clear();
      upsert.add(batch, &changes);
      // The history in bulk writes of up to 5,000 rows (never all rows' text at once).
      rows.clear();
      for (const auto& c : changes) {
        if (!c.previous && c.new_version == 1 && !c.key.empty() && c.key.find('\n') == std::string::npos) {
          added += added.empty() ? "" : "\n";
          added += c.key;
          if (++added_count == kAddedPerRow) end_added();
          continue;
        }
        rows.push_back(Row{import_id, c.key, std::to_string(c.new_version),
                           c.previous ? std::optional<std::string>(row_json(to_row(*c.previous))) : std::nullopt});
        if (rows.size() == 5000) {
          db->bulk_insert("import_changes", "import_id, event_key, new_version, previous", rows);
          rows.clear();
        }
      }
      db->bulk_insert("import_changes", "import_id, event_key, new_version, previous", rows);
    }
    end_added();
    UpsertResult r = upsert.finish();
    db->bulk_insert("import_additions", "import_id, part, event_keys", added_rows);
    r.import_id = as_int(id.at(0).at(0));
    db->query("UPDATE import_runs SET inserted = CAST(? AS BIGINT), updated = CAST(? AS BIGINT), "
             "unchanged = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT)",
             Row{std::to_string(r.inserted), std::to_string(r.updated), std::to_string(r.unchanged), import_id});
    return r;
  });
}

std::vector<ImportRun> SqlStore::list_import_runs(int limit) {
  auto db = pool_.acquire();
  std::vector<ImportRun> out;
  for (const auto& r : db->query("SELECT id, at, actor, file, format, inserted, updated, unchanged, reverted_at, reverted_by "
                                 "FROM import_runs ORDER BY id DESC LIMIT CAST(? AS BIGINT)",
                                 Row{std::to_string(limit)})) {
    ImportRun run;
    run.id = as_int(r[0]);
    run.at = as_int(r[1]);
    run.actor = r[2].value_or("");
    run.file = r[3].value_or("");
    run.format = r[4].value_or("");
    run.inserted = as_int(r[5]);
    run.updated = as_int(r[6]);
    run.unchanged = as_int(r[7]);
    if (r[8]) run.reverted_at = as_int(r[8]);
    run.reverted_by = r[9].value_or("");
    out.push_back(std::move(run));
  }
  return out;
}

RevertOutcome SqlStore::revert_import(std::int64_t id, UnixSeconds now, const std::string& actor) {
  static const std::string kSelect = std::string("SELECT ") + kEventColumns + " FROM events WHERE key = ?";
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    RevertOutcome out;
    const auto run = db->query(std::string("SELECT at, reverted_at, file FROM import_runs WHERE id = CAST(? AS BIGINT)") + db->row_lock(),
                               Row{std::to_string(id)});
    if (run.empty()) return out;
    out.found = true;
    if (run[0][1]) {
      out.already_reverted = true;
      return out;
    }
    const UnixSeconds at = as_int(run[0][0]);
    const std::string file = run[0][2].value_or("");
    const auto changes = imported_changes(*db, id);
    {
      // Every key's counter locked first, in key order (an added event's row
      // made): each lock_counter below then finds its row locked.
      std::vector<std::string> keys;
      keys.reserve(changes.size());
      for (const auto& c : changes) keys.push_back(c.key);
      lock_counters(*db, std::move(keys));
    }
    for (const auto& c : changes) {
      const std::string& key = c.key;
      const std::int64_t new_version = c.new_version;
      const auto rows = db->query(kSelect, Row{key});
      if (rows.empty()) {
        if (c.previous) out.refused.emplace_back(key, "deleted since the import");
        continue;  // added, then deleted since: nothing left to undo
      }
      Event cur = from_row(rows[0], db->true_text());
      lock_counter(*db, key);  // registrations in flight finish first (PostgreSQL), so the counts below hold
      // The version alone cannot tell: a key deleted and added again (a later
      // import, a restore) starts at version 1 again. The import wrote
      // updated_at = its own time; anything later touched the event.
      if (cur.version != new_version || cur.updated_at != at) {
        out.refused.emplace_back(key, "edited since the import (now version " + std::to_string(cur.version) +
                                          "); change it by hand");
        continue;
      }
      const auto since = db->query(
          "SELECT COUNT(*) FROM registrations WHERE event_key = ? AND created_at >= CAST(? AS BIGINT)", Row{key, std::to_string(at)});
      const std::int64_t gained = since.empty() ? 0 : as_int(since[0][0]);
      if (gained > 0) {
        out.refused.emplace_back(key, count_of(gained, "registration", "registrations") + " since the import");
        continue;
      }
      const auto counts = db->query("SELECT confirmed FROM event_counters WHERE event_key = ?", Row{key});
      const std::int64_t confirmed = counts.empty() ? 0 : as_int(counts[0][0]);
      if (!c.previous) {  // the import added it
        const auto any = db->query("SELECT COUNT(*) FROM registrations WHERE event_key = ?", Row{key});
        if (!any.empty() && as_int(any[0][0]) > 0) {
          out.refused.emplace_back(key, "it has registrations: cancel it instead");
          continue;
        }
        db->query("DELETE FROM events WHERE key = ?", Row{key});
        db->query("DELETE FROM event_counters WHERE event_key = ?", Row{key});
        out.removed.push_back(key);
        continue;
      }
      Event prev = from_row(json_row(*c.previous), db->true_text());
      if (const auto limit = place_limit_of(*db, key, prev.capacity); limit && *limit < confirmed) {
        out.refused.emplace_back(key, "its capacity before the import (" + std::to_string(*prev.capacity) + ") is below its " +
                                          std::to_string(confirmed) + " confirmed places now");
        continue;
      }
      prev.created_at = cur.created_at;
      prev.version = cur.version + 1;
      prev.updated_at = now;
      write_event(*db, &cur, prev, now, confirmed);
      out.restored.push_back(key);
    }
    db->query("UPDATE import_runs SET reverted_at = ?, reverted_by = ? WHERE id = CAST(? AS BIGINT)",
              Row{std::to_string(now), actor, std::to_string(id)});
    insert_audit(*db, AuditEntry{0, now, actor, "revert_import", "import " + std::to_string(id) + " (" + file + ")", "",
                                 std::to_string(out.restored.size()) + " restored, " +
                                     std::to_string(out.removed.size()) + " removed, " +
                                     std::to_string(out.refused.size()) + " kept"});
    if (!out.restored.empty() || !out.removed.empty()) bump_generation(*db);
    return out;
  });
}

}  // namespace marquee
