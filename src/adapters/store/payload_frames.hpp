#pragma once
// Content framed as the store keeps it, in parts written on their own threads, each
// piece an LZ4 frame as it comes: a snapshot payload (SnapshotStore::frame_payload, also
// hashed as it is written) and a changelog (changelog_frames), never held whole.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "ports/snapshot_store.hpp"

namespace marquee {

/// One part's frames and the bytes of its content (frame_parts).
struct FramedPart {
  std::string frames;
  std::size_t bytes = 0;
};

/// The parts `write` gives, each piece one LZ4 frame with `checksums`
/// (Lz4FrameAppender), each part written on a thread of its own (part 0 on
/// the calling thread; one after the other when no thread can be started).
/// `first_part_piece`, when given, sees each of part 0's pieces as it comes,
/// on the calling thread. When a part's writer throws, the other parts stop
/// at their next piece. Throws std::invalid_argument when parts is 0, what
/// `write` throws (part 0's when it throws, else the first failing part's in
/// part order), StoreError, and what `first_part_piece` throws.
std::vector<FramedPart> frame_parts(std::size_t parts, Lz4Checksums checksums, const PayloadWriter& write,
                                    const PayloadSink& first_part_piece = {});

/// The payload `write` gives (parts 0 … parts - 1, one after the other),
/// each piece one LZ4 frame (Lz4FrameAppender), with its SHA-256 and size.
/// The parts are written as frame_parts writes them, part 0's pieces
/// hashed as they come on the calling thread; the other parts are hashed
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
