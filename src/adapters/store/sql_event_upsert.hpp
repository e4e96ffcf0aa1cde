#pragma once
// Writing many events into the working state inside one open write
// transaction, batch by batch (upsert_events, import_events,
// import_event_batches): the stored events are read for each batch's keys
// only, so the text held follows the batch, not the store or the file.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

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
/// (SqlConnection::bulk_append, kStreamedRows at a time: one COPY kept open
/// on PostgreSQL, which inserts them while the next are made; a cached
/// 64-row INSERT on SQLite) without a counter row: lock_counter makes it when
/// the event's places are first counted; every other one goes through write_event, which throws
/// CapacityBelowConfirmed. A key given twice is written twice (the second
/// time as an update); an import refuses that instead (its history keeps one
/// row per key and run: the insert fails). Throws StoreError; the caller's
/// transaction then rolls back.
class EventUpsert {
 public:
  /// `many`: events come in many or large batches (an import). Then every
  /// key the store holds (events, counters with their confirmed places,
  /// operations settings) is read once here, keys only, no event text, and a
  /// new key costs no query. Otherwise each batch's keys are looked up.
  EventUpsert(SqlConnection& db, UnixSeconds now, bool many);
  /// Writes `events` in order, taking their text (they are left valid but
  /// unspecified); with `changes`, appends what each written event was before.
  void add(std::vector<Event>& events, std::vector<UpsertChange>* changes);
  /// Writes what is still pending, bumps the store generation when anything
  /// changed, and returns the counts (import_id unset).
  UpsertResult finish();

 private:
  static constexpr std::size_t kStreamedRows = 256;  // new events' rows handed on at a time
  void stream();  // hands on the new events' rows
  void read_attached(const std::vector<Event>& events);

  SqlConnection& db_;
  UnixSeconds now_;
  bool whole_store_;  // the three key sets below hold the whole store
  UpsertResult result_;
  std::vector<Row> event_rows_;  // new events' rows not yet handed on
  // Key sets in open addressing (a node per key was 5% of an import's
  // storing thread at 100,000 events).
  boost::unordered_flat_set<std::string> stored_keys_;              // events stored before the first batch
  boost::unordered_flat_map<std::string, std::int64_t> confirmed_;  // counter rows: key -> confirmed places
  boost::unordered_flat_set<std::string> with_operations_;          // keys with operations settings
  boost::unordered_flat_set<std::string> written_keys_;             // written by this upsert (any batch)
  std::unordered_map<std::string, Event> existing_;                 // this batch's keys as stored
};

/// The body of upsert_events inside an open write transaction (one batch);
/// with `changes`, records what each written event was before.
UpsertResult upsert_in(SqlConnection& db, const std::vector<Event>& events, UnixSeconds now,
                       std::vector<UpsertChange>* changes);

}  // namespace marquee
