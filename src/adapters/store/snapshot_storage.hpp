#pragma once
// How the store keeps a snapshot whose payload is an LZ4 frame (migration
// 0024, docs/snapshot-format.md).
#include <string_view>

namespace marquee {

/// What `snapshots.payload` holds when the payload is in `payload_lz4`: a
/// line no snapshot decoder accepts (not JSON), so that a Marquee older than
/// its store (during a rolling upgrade) refuses the snapshot and keeps
/// serving the programme it has, instead of serving an empty one.
inline constexpr std::string_view kPayloadInFrame =
    "# this snapshot's payload is an LZ4 frame in payload_lz4 (schema 24): upgrade Marquee to read it\n";

}  // namespace marquee
