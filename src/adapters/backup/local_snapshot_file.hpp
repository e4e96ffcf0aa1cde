#pragma once
// The live snapshot kept on this machine's disk, so an instance whose store
// cannot be read at start serves the organizer's last published programme
// rather than the bundled demo (issue 13, item 15). Each instance writes its
// own copy whenever it starts serving a new live snapshot.
#include <cstddef>
#include <cstdint>
#include <functional>
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

/// `dir`/live-snapshot-<first 12 hex of SHA-256(store_id)>.jsonl: one file per
/// store, so instances of different stores sharing a folder never mix.
std::string local_snapshot_path(const std::string& dir, const std::string& store_id);

/// Writes atomically and durably: a temporary file in the same folder,
/// fsync, rename over the old file, fsync of the folder. Creates `dir`.
/// The file (format `marquee-live-snapshot-2`) is one JSON object on its
/// first line, {"format", "snapshot", "published_at" (UTC seconds),
/// "content_hash", "payload_bytes"}, then the payload's bytes as they are
/// (its own JSON lines: the file is JSON Lines), so nothing is escaped: at
/// 100,000 events writing format 1's one JSON string took 97–172 ms, this
/// 53–75 ms (docs/performance.md, "The local copy unescaped"). A format-1
/// file of the same name with `.json` for `.jsonl` (written by an older
/// version, which does not read this one) is removed once the new file is
/// in place. Throws std::runtime_error naming the path and the system error.
void write_local_snapshot(const std::string& path, const LocalSnapshot& snapshot);

/// The same file from its parts (a 100,000-event programme is never held twice).
void write_local_snapshot(const std::string& path, std::int64_t number, UnixSeconds published_at,
                          const std::string& content_hash, std::string_view payload);

/// The same file with its payload given piece by piece: `write` calls its
/// sink with the payload's bytes in order, `payload_bytes` in all (a payload
/// read in pieces is never held whole). Throws std::runtime_error as above,
/// also when the pieces come to another size than `payload_bytes` (the
/// temporary file is then removed, the old file left as it was), and what
/// `write` throws.
void write_local_snapshot(const std::string& path, std::int64_t number, UnixSeconds published_at,
                          const std::string& content_hash, std::size_t payload_bytes,
                          const std::function<void(const std::function<void(std::string_view)>& sink)>& write);

/// The file's snapshot, in format 2 or in format 1 (one JSON object, the
/// payload a JSON string). For a `.jsonl` path, also the format-1 file an
/// older version keeps under the `.json` name: read when there is no
/// `.jsonl` file, or when both are there (an older version ran after this
/// one), and then the higher snapshot number wins. nullopt when there is
/// neither. Throws std::runtime_error naming the file for one that is not a
/// complete local snapshot: a head that is not a format's, a payload
/// shorter or longer than `payload_bytes`, or one whose SHA-256 is not
/// `content_hash`.
std::optional<LocalSnapshot> read_local_snapshot(const std::string& path);

}  // namespace marquee
