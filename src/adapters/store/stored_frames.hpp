#pragma once
// Values the store keeps as LZ4 frames (adapters/store/lz4_frame, migrations
// 0024 and 0027), read and decompressed straight from the driver's memory
// (SqlConnection::with_bytes, each_byte_row): a snapshot's payload and its
// changelog.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/store/sql_connection.hpp"
#include "core/snapshot_diff.hpp"

namespace marquee {

/// The changelog of `changes` as `snapshot_changelogs.changes_lz4` keeps
/// it: the lines of encode_changelog_lines() in pieces of 1 MiB, each one
/// LZ4 frame with block checksums (Lz4FrameAppender; a reader keeping the
/// first lines stops early, lz4_frame_decompress_lines), from 4,096 changes
/// on the first and second half of the changes on two threads. At 100,000
/// added events 12 MB of lines, never held whole. "" for no changes.
/// Throws StoreError if liblz4 fails, std::bad_alloc.
std::string changelog_frames(const std::vector<EventChange>& changes);

/// The content of the frames in `column` of the row of `table` whose
/// `key_column` is `key` (read_bytes' arguments); nullopt when no row has
/// that key or the value is NULL. Throws StoreError: the read, or frames
/// that are not whole valid frames (lz4_frame_decompress).
std::optional<std::string> read_frame_content(SqlConnection& db, const std::string& table, const std::string& column,
                                              const std::string& key_column, std::int64_t key);

/// Two columns of a query on `snapshots` that say how a snapshot's payload
/// is kept: its layout ("2" a frame a row in `snapshot_frames`, migration
/// 0027; "1" one value of frames in `payload_lz4`, 0024; "0" text in
/// `payload`), then `payload_bytes`. What read_stored_payload() takes.
inline constexpr const char* kPayloadLayoutColumns =
    "CASE WHEN payload_lz4 IS NOT NULL THEN 1 WHEN EXISTS (SELECT 1 FROM snapshot_frames f "
    "WHERE f.snapshot_number = snapshots.number) THEN 2 ELSE 0 END, payload_bytes";

/// Snapshot `number`'s payload (its JSON Lines) as it is kept, given the two
/// values of kPayloadLayoutColumns: its rows read by read_payload_rows (on
/// PostgreSQL each put in place as it comes; SQLite reads its rows at once,
/// and they are decompressed on two threads), its one value of frames by
/// read_frame_content, or its text. nullopt when it is not there. Throws
/// StoreError as those do, and for a payload_bytes that is no size.
std::optional<std::string> read_stored_payload(SqlConnection& db, std::int64_t number, const std::optional<std::string>& layout,
                                               const std::optional<std::string>& payload_bytes);

/// `snapshots.payload_bytes` as read (decimal text, or NULL) for snapshot
/// `number`: nullopt for NULL. Throws StoreError when it is not a
/// non-negative whole number that fits in size_t.
std::optional<std::size_t> payload_bytes_of(const std::optional<std::string>& text, std::int64_t number);

/// Stores `frames` (a snapshot payload's LZ4 frames, FramedPayload::frames)
/// a frame a row in `snapshot_frames` for snapshot `number` (migration 0027):
/// about 40 rows of 100 KB at 100,000 events. Throws StoreError: frames that
/// are not whole frames (lz4_frame_spans), the insert (rows already there
/// for `number` included).
void write_payload_rows(SqlConnection& db, std::int64_t number, std::string_view frames);

/// The content of snapshot `number`'s frames in `snapshot_frames`, read a
/// row at a time (SqlConnection::each_byte_row); nullopt when it has no row
/// there. With `content_bytes` (`snapshots.payload_bytes`) and `in_place`,
/// the content is made that large at once and each row's frame
/// decompressed into place as it comes, while the backend still sends the
/// rest (at 100,000 events 44 MB of content from about 40 rows); else the
/// rows are kept and decompressed once all are read, on two threads
/// (lz4_frame_decompress_runs). Throws StoreError: the read, frames that are
/// not whole valid frames, or content of another size than `content_bytes`.
std::optional<std::string> read_payload_rows(SqlConnection& db, std::int64_t number,
                                             std::optional<std::size_t> content_bytes = std::nullopt, bool in_place = false);

/// The first `limit` changes (all by default) of snapshot `number`'s
/// changelog frame (`snapshot_changelogs.changes_lz4`), decompressed only as
/// far as those lines (lz4_frame_decompress_lines); nullopt when the
/// snapshot has no frame. Throws StoreError: the read, a damaged frame, or
/// a line decode_changelog_lines refuses.
std::optional<std::vector<EventChange>> read_changelog_frame(SqlConnection& db, std::int64_t number,
                                                             std::size_t limit = std::numeric_limits<std::size_t>::max());

}  // namespace marquee
