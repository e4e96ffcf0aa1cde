#pragma once
// The live snapshot kept on this machine's disk, so an instance whose store
// cannot be read at start serves the organizer's last published programme
// rather than the bundled demo (issue 13, item 15). Each instance writes its
// own copy whenever it starts serving a new live snapshot.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

struct LocalSnapshot {
  std::int64_t number = 0;       ///< the snapshot number
  UnixSeconds published_at = 0;  ///< UTC seconds
  std::string content_hash;      ///< as in the store
  std::string payload;           ///< app/snapshot_codec.hpp encoding
};

/// `dir`/live-snapshot-<first 12 hex of SHA-256(store_id)>.json: one file per
/// store, so instances of different stores sharing a folder never mix.
std::string local_snapshot_path(const std::string& dir, const std::string& store_id);

/// Writes atomically and durably: a temporary file in the same folder,
/// fsync, rename over the old file, fsync of the folder. Creates `dir`.
/// Throws std::runtime_error naming the path and the system error.
void write_local_snapshot(const std::string& path, const LocalSnapshot& snapshot);

/// The same file from its parts; the payload is escaped and written in
/// pieces (a 100,000-event programme is never held twice).
void write_local_snapshot(const std::string& path, std::int64_t number, UnixSeconds published_at,
                          const std::string& content_hash, std::string_view payload);

/// The file's snapshot; nullopt when there is no file. Throws
/// std::runtime_error for a file that is not a complete local snapshot.
std::optional<LocalSnapshot> read_local_snapshot(const std::string& path);

}  // namespace marquee
