#pragma once
// A snapshot payload read in the pieces it is stored in (ports'
// PayloadPieces): a frame a row of `snapshot_frames` (migration 0027), the
// frames of one `payload_lz4` value (0024), or one text (before). Nothing is
// decompressed until a reader asks for a piece, on whichever thread it
// decodes it: a server installing a 100,000-event snapshot never holds its
// 44 MB of JSON Lines (docs/performance.md, "Pieces decoded as they are").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "adapters/store/sql_connection.hpp"
#include "ports/snapshot_store.hpp"

namespace marquee {

/// Snapshot `number`'s payload in its pieces, given the two values of
/// kPayloadLayoutColumns (adapters/store/stored_frames.hpp) as read with its
/// row: layout "2" a piece a row (each row's frames, read in `seq` order and
/// kept compressed: at 100,000 events about 40 rows, 3.9 MB; Marquee writes
/// each row whole lines), "1" its one value of frames as one piece (two
/// frames of such a value may be cut inside a line), otherwise its text as
/// one piece. nullptr when the payload is not there (no rows, a NULL value). Each piece's content size is
/// read from its frame headers here, so a size over 2 GiB in all, or other
/// than `payload_bytes` where the row gives one, is found before any piece is
/// decompressed. Throws StoreError: the reads, frames that are not whole
/// frames, those sizes, a payload_bytes that is no size.
std::unique_ptr<const PayloadPieces> read_stored_pieces(SqlConnection& db, std::int64_t number,
                                                        const std::optional<std::string>& layout,
                                                        const std::optional<std::string>& payload_bytes);

}  // namespace marquee
