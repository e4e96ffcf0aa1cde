#pragma once
// A snapshot payload framed as the store keeps it (SnapshotStore::frame_payload):
// compressed and hashed piece by piece as it is written, never held whole.
#include <cstddef>
#include <string_view>

#include "ports/snapshot_store.hpp"

namespace marquee {

/// The payload `write` gives (parts 0 … parts - 1, one after the other),
/// each piece one LZ4 frame (Lz4FrameAppender), with its SHA-256 and size.
/// Each part is written on a thread of its own, part 0 on the calling
/// thread, which hashes its pieces as they come; the other parts are hashed
/// afterwards from their frames, decompressed a frame at a time (at 100,000
/// events 22 MB in about 5 ms). When a part's writer throws, the other
/// parts stop at their next piece. Throws std::invalid_argument when parts
/// is 0, what `write` throws (part 0's when it throws, else the first
/// failing part's in part order), StoreError, std::runtime_error (hashing).
FramedPayload frame_payload_parts(std::size_t parts, const PayloadWriter& write);

/// `payload` framed as frame_payload_parts frames it: in two parts from
/// kLz4SplitAt bytes on, each cut at line ends into pieces of at least
/// 1 MiB (the last may be shorter), as a publish cuts them (a rollback, a
/// restore).
FramedPayload frame_payload_bytes(std::string_view payload);

}  // namespace marquee
