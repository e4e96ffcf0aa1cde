#pragma once
// Writing many events into the working state inside one open write
// transaction, batch by batch (upsert_events, import_events,
// import_event_batches): what each key holds already is read for the batch's
// keys only, so the memory used follows the batch, not the store or the file.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_connection.hpp"
#include "ports/store.hpp"

namespace marquee {

/// One event an upsert wrote: its key, new version and content before (null: added).
struct UpsertChange {
  std::string key;
  std::int64_t new_version = 0;
  std::unique_ptr<Event> previous;
};

/// Upserts events given in batches. Unchanged content (core same_content)
/// is counted and not written; a new event with nothing attached to its key
/// (no counter row, no operations settings) is inserted in bulk
/// (SqlConnection::bulk_insert: COPY on PostgreSQL, multi-row INSERT on
/// SQLite); every other one goes through write_event, which throws
/// CapacityBelowConfirmed. A key given twice is written twice (the second
/// time as an update). Throws StoreError; the caller's transaction then
/// rolls back.
class EventUpsert {
 public:
  EventUpsert(SqlConnection& db, UnixSeconds now) : db_(db), now_(now) {}
  /// Writes `events` in order, taking their text (they are left valid but
  /// unspecified); with `changes`, appends what each written event was before.
  void add(std::vector<Event>& events, std::vector<UpsertChange>* changes);
  /// Writes what is still pending, bumps the store generation when anything
  /// changed, and returns the counts (import_id unset).
  UpsertResult finish();

 private:
  void flush();
  void read_attached(const std::vector<Event>& events);

  SqlConnection& db_;
  UnixSeconds now_;
  UpsertResult result_;
  std::vector<Row> event_rows_, counter_rows_;             // bulk rows not yet written
  std::unordered_map<std::string, Event> existing_;         // this batch's keys as stored
  std::unordered_map<std::string, std::int64_t> confirmed_;  // this batch's counter rows
  std::unordered_set<std::string> with_operations_;          // this batch's keys with settings
  std::unordered_set<std::string> bulk_keys_;                // written in bulk in this batch
};

/// The body of upsert_events inside an open write transaction (one batch);
/// with `changes`, records what each written event was before.
UpsertResult upsert_in(SqlConnection& db, const std::vector<Event>& events, UnixSeconds now,
                       std::vector<UpsertChange>* changes);

}  // namespace marquee
