#pragma once
// Reading the working state (events as edited, before publishing), the
// installation settings and the import history: what the pages and the API
// read. A handler that holds only these cannot write; the writes are the
// app's moves (docs/architecture.md).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/event_blocks.hpp"

namespace marquee {

class EventReader {
 public:
  virtual ~EventReader() = default;
  /// All events of every status, ordered by (starts_at, key). Throws StoreError.
  virtual std::vector<Event> list_events() = 0;
  /// The events a snapshot carries: every event but drafts, ordered by
  /// (starts_at, key), without what the import keeps for the organizer
  /// (warnings, source file and record empty; created_at, updated_at and
  /// version 0): public_events(list_events()) (core/snapshot_diff.hpp),
  /// read without those columns (at 100,000 events on PostgreSQL they were
  /// a third of the server's work for the read). Throws StoreError.
  virtual std::vector<Event> list_public_events() = 0;
  /// list_public_events()'s events as the store reads them, in no
  /// particular order, in blocks that never move (core/event_blocks.hpp):
  /// without the count list_public_events() waits for first to size its
  /// vector (at 100,000 events on PostgreSQL about 45 ms with the reader
  /// idle), nor the moves into the programme's order (programme_order_of
  /// gives that order as pointers). What a publish reads. Throws StoreError
  /// (a row that cannot be read: the statement abandoned, the connection
  /// left usable) and std::bad_alloc.
  virtual EventBlocks read_public_events() = 0;
  virtual std::optional<Event> find_event(const std::string& key) = 0;
  virtual std::int64_t count_events() = 0;
  /// How many events (of every status) give each IANA zone, by zone name
  /// (byte order): one grouped query, without reading the events (at
  /// 100,000 events list_events() took 1.3 s on SQLite and 2.7 s on
  /// PostgreSQL at a server's start, for the default zone alone). Throws
  /// StoreError.
  virtual std::map<std::string, std::int64_t> time_zone_counts() = 0;
  /// The events whose key starts with `prefix` (byte-wise), ordered by key:
  /// one query, without reading the rest of the programme. Throws StoreError.
  virtual std::vector<Event> events_with_key_prefix(const std::string& prefix) = 0;
  /// A counter that increases with every committed change to events, visible
  /// to every process using the same database: the read path polls it.
  virtual std::int64_t generation() = 0;
};

class SettingsReader {
 public:
  virtual ~SettingsReader() = default;
  /// Every installation setting whose name starts with `prefix`, by name. Throws StoreError.
  virtual std::map<std::string, std::string> settings_with_prefix(const std::string& prefix) = 0;
};

}  // namespace marquee
