#pragma once
// How the store keeps a snapshot whose payload is LZ4 frames (migrations
// 0024 and 0027, docs/snapshot-format.md).
#include <string_view>

namespace marquee {

/// What `snapshots.payload` holds when the payload is in `payload_lz4`: a
/// line no snapshot decoder accepts (not JSON), so that a Marquee older than
/// its store (during a rolling upgrade) refuses the snapshot and keeps
/// serving the programme it has, instead of serving an empty one.
inline constexpr std::string_view kPayloadInFrame =
    "# this snapshot's payload is an LZ4 frame in payload_lz4 (schema 24): upgrade Marquee to read it\n";

/// What `snapshots.payload` holds when the payload is in `snapshot_frames`,
/// a frame a row (payload_lz4 NULL), for the same reason.
inline constexpr std::string_view kPayloadInRows =
    "# this snapshot's payload is LZ4 frames in snapshot_frames (schema 27): upgrade Marquee to read it\n";

/// Where the rows of a snapshot's frames are (migration 0027).
inline constexpr std::string_view kFramesTable = "snapshot_frames";

}  // namespace marquee
