#pragma once
// LZ4 frames (liblz4's frame API): how snapshot payloads are stored
// (migration 0024, docs/snapshot-format.md).
#include <cstddef>
#include <string>
#include <string_view>

namespace marquee {

/// Content from this size on is compressed as two frames, one after the
/// other, each on its own thread, and decompressed the same way.
inline constexpr std::size_t kLz4SplitAt = std::size_t{8} << 20;  // bytes

/// `bytes` as one LZ4 frame (LZ4 Frame Format 1.6.x, liblz4 1.9: default
/// block size, linked blocks, the content size and a content checksum
/// (xxHash-32) in the frame), or from kLz4SplitAt bytes on as two such
/// frames, one after the other: its halves compressed on two threads (the
/// format's concatenated frames, which `lz4 -d` reads as one content). At
/// 100,000 events a snapshot's 44 MB of JSON Lines become 4.7 MB. Throws
/// StoreError if liblz4 fails (out of memory).
std::string lz4_frame_compress(std::string_view bytes);

/// The content of one LZ4 frame or of several one after the other (the
/// frames decompressed on two threads; skippable frames passed over), in huge pages where it is large
/// (core/huge_pages.hpp). Throws StoreError when `frames` are not whole
/// valid frames (damaged, cut short, followed by bytes that are no frame,
/// a checksum or content size wrong), or when their content is over
/// `max_bytes`. Each frame must give its content size (lz4_frame_compress's
/// do); one without is read only when its content is empty.
std::string lz4_frame_decompress(std::string_view frames, std::size_t max_bytes = std::size_t{1} << 31);

}  // namespace marquee
