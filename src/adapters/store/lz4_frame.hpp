#pragma once
// LZ4 frames (liblz4's frame API): how snapshot payloads are stored
// (migration 0024, docs/snapshot-format.md).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

/// Which checksums lz4_frame_compress_checked puts in its frames.
enum class Lz4Checksums {
  content,             ///< the content's, checked once the whole frame is read
  content_and_blocks,  ///< and each block's too (xxHash-32 of its stored bytes), so a
                       ///< frame read only in part (lz4_frame_decompress_lines) is still checked
};

/// lz4_frame_compress() with the checksums asked for. Throws StoreError as it does.
std::string lz4_frame_compress_checked(std::string_view bytes, Lz4Checksums checksums);

/// Content compressed piece by piece, each piece one frame of its own (the
/// frame lz4_frame_compress_checked writes for content under
/// kLz4SplitAt), appended to frames(): the format's concatenated frames,
/// read as one content by lz4_frame_decompress, lz4_frame_decompress_lines
/// and `lz4 -d`. A payload of 100,000 events (44 MB) is about 42 frames of
/// 1 MiB, 4.7 MB in all as in one or two frames (each frame's blocks are
/// 64 KiB, linked within the frame). One buffer, as large as the largest
/// piece's bound, is reused. Not thread-safe.
class Lz4FrameAppender {
 public:
  explicit Lz4FrameAppender(Lz4Checksums checksums = Lz4Checksums::content);
  /// Appends `content` as one frame. Throws StoreError if liblz4 fails, std::bad_alloc.
  void append(std::string_view content);
  /// The frames appended so far.
  std::string& frames() noexcept { return frames_; }

 private:
  Lz4Checksums checksums_;
  std::string frames_;
  std::unique_ptr<char[]> room_;
  std::size_t room_size_ = 0;
};

/// Calls `each` with the content of each frame of `frames` in turn
/// (skippable frames passed over), decompressed into one buffer reused from
/// frame to frame (as large as the largest frame's content): a view valid
/// during its call only. Throws StoreError as lz4_frame_decompress does,
/// and what `each` throws.
void lz4_frame_for_each_content(std::string_view frames, const std::function<void(std::string_view)>& each,
                                std::size_t max_bytes = std::size_t{1} << 31);

/// The content of one LZ4 frame or of several one after the other (the
/// frames decompressed on two threads; skippable frames passed over), in huge pages where it is large
/// (core/huge_pages.hpp). Throws StoreError when `frames` are not whole
/// valid frames (damaged, cut short, followed by bytes that are no frame,
/// a checksum or content size wrong), or when their content is over
/// `max_bytes`. Each frame must give its content size (lz4_frame_compress's
/// do); one without is read only when its content is empty.
std::string lz4_frame_decompress(std::string_view frames, std::size_t max_bytes = std::size_t{1} << 31);

/// lz4_frame_decompress() of frames held in several buffers: the content of
/// `runs[0]`, then of `runs[1]`, … (each run whole frames, none empty), as
/// one content, in huge pages where it is large. A snapshot payload stored a
/// frame a row (migration 0027) is read so, without its rows put together
/// first. Throws StoreError as lz4_frame_decompress does, also for no run
/// or a run with no frame, and when the content of all of them is over
/// `max_bytes`.
std::string lz4_frame_decompress_runs(const std::vector<std::string_view>& runs,
                                      std::size_t max_bytes = std::size_t{1} << 31);

/// Decompresses `frames` (whole frames, as lz4_frame_decompress reads them)
/// into [out, out + room) and returns how many bytes their content is: a
/// frame's content put in place in a buffer made for a whole payload, as
/// each row of it comes (SqlStore::snapshot). Throws StoreError as
/// lz4_frame_decompress does, also when the content is over `room` (nothing
/// is then written past it).
std::size_t lz4_frame_decompress_into(std::string_view frames, char* out, std::size_t room);

/// The size of the content of `frames` (one or more whole frames, as
/// lz4_frame_decompress reads them) as their headers give it, nothing
/// decompressed: the room lz4_frame_decompress_into needs. Throws StoreError
/// when `frames` are not whole frames (damaged headers, cut short, followed
/// by bytes that are no frame) or their content is over `max_bytes`.
std::size_t lz4_frame_content_bytes(std::string_view frames, std::size_t max_bytes = std::size_t{1} << 31);

/// The frames of `frames` (one or more LZ4 frames, or skippable frames, one
/// after the other), each one's bytes in order, their headers and block
/// sizes read but nothing decompressed: how a payload is cut into a frame a
/// row (migration 0027). Throws StoreError when `frames` are not whole frames
/// (damaged, cut short, followed by bytes that are no frame) or are empty.
std::vector<std::string_view> lz4_frame_spans(std::string_view frames);

/// The first `lines` lines of the content of `frames` (each through its
/// "\n"), or all of the content when it has fewer: what a reader keeping the
/// first lines needs, without decompressing the rest (a changelog frame of
/// 100,000 lines, 12 MB, read for its first 1,000). A frame with block
/// checksums is decompressed a block at a time and left where the lines
/// end: each block read is checked against its checksum before its bytes
/// are used, and each before the last must have the frame's block size
/// (the checksum does not cover a block's header); the content checksum,
/// which covers the rest, is not read. A frame without block checksums, or
/// with a shorter block before its last, is decompressed whole and checked
/// as lz4_frame_decompress checks it.
/// Throws StoreError as lz4_frame_decompress does, for the frames it reads.
std::string lz4_frame_decompress_lines(std::string_view frames, std::size_t lines,
                                       std::size_t max_bytes = std::size_t{1} << 31);

}  // namespace marquee
