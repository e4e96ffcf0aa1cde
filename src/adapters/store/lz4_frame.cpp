#include "adapters/store/lz4_frame.hpp"

#include <lz4frame.h>

#include <algorithm>
#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <system_error>
#include <vector>

#include "core/huge_pages.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

[[noreturn]] void fail(const std::string& what, LZ4F_errorCode_t code) {
  throw StoreError("LZ4 frame: " + what + ": " + LZ4F_getErrorName(code));
}

LZ4F_preferences_t preferences(std::size_t content, Lz4Checksums checksums) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentSize = content;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  if (checksums == Lz4Checksums::content_and_blocks) prefs.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled;
  return prefs;
}

// `bytes` as one frame into [room, room + bound), bound from LZ4F_compressFrameBound; its size.
std::size_t compress_frame_into(char* room, std::size_t bound, std::string_view bytes, Lz4Checksums checksums) {
  const LZ4F_preferences_t prefs = preferences(bytes.size(), checksums);
  const std::size_t n = LZ4F_compressFrame(room, bound, bytes.data(), bytes.size(), &prefs);
  if (LZ4F_isError(n)) fail("compressing", n);
  return n;
}

std::string compress_frame(std::string_view bytes, Lz4Checksums checksums) {
  // Room for the worst case (a little more than the input), left uninitialised:
  // only the pages the frame is written into are touched (at 100,000 events
  // 4.7 of 44 MB; a zero-filled string touched all of them), then copied out.
  const LZ4F_preferences_t prefs = preferences(bytes.size(), checksums);
  const std::size_t bound = LZ4F_compressFrameBound(bytes.size(), &prefs);
  const auto room = std::make_unique_for_overwrite<char[]>(bound);
  return std::string(room.get(), compress_frame_into(room.get(), bound, bytes, checksums));
}

std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> decompression_context() {
  LZ4F_dctx* raw = nullptr;
  if (const auto rc = LZ4F_createDecompressionContext(&raw, LZ4F_VERSION); LZ4F_isError(rc)) fail("starting", rc);
  return {raw, &LZ4F_freeDecompressionContext};
}

std::uint32_t read_le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

// One frame of a sequence: its bytes and its content size; a skippable frame
// (magic 0x184D2A50 to 0x184D2A5F) holds no content and is passed over.
struct Frame {
  std::string_view bytes;
  std::size_t content = 0;
  bool skippable = false;
  bool block_checksums = false;
  std::size_t block_size = 0;           ///< the largest a block's content may be (the header's block size)
  std::vector<std::size_t> block_ends;  ///< where each block ends in `bytes`, its checksum included
};

// The header's block size (LZ4 Frame Format: BD's block maximum size).
std::size_t block_size_of(LZ4F_blockSizeID_t id) {
  switch (id) {
    case LZ4F_max256KB: return std::size_t{256} << 10;
    case LZ4F_max1MB: return std::size_t{1} << 20;
    case LZ4F_max4MB: return std::size_t{4} << 20;
    default: return std::size_t{64} << 10;  // LZ4F_max64KB, and 0 (the default)
  }
}

// The frame that begins `rest`: its header read by liblz4, its end found by
// stepping over its blocks (LZ4 Frame Format 1.6.x: each block a 32-bit
// little-endian size, its high bit for an uncompressed block, then its data
// and, if the frame says so, a 4-byte block checksum; a zero size ends the
// blocks, followed by the content checksum if the frame has one). The blocks
// themselves are checked when decompressed.
Frame next_frame(std::string_view rest) {
  if (rest.size() >= 8 && (read_le32(rest, 0) & 0xFFFFFFF0u) == 0x184D2A50u) {
    const std::uint32_t size = read_le32(rest, 4);
    if (rest.size() - 8 < size) throw StoreError("LZ4 frame: cut short");
    return Frame{rest.substr(0, 8 + std::size_t{size}), 0, true};
  }
  const auto dctx = decompression_context();
  LZ4F_frameInfo_t info{};
  std::size_t at = rest.size();
  if (const auto rc = LZ4F_getFrameInfo(dctx.get(), &info, rest.data(), &at); LZ4F_isError(rc))
    fail("reading the frame header", rc);
  const std::size_t block_checksum = info.blockChecksumFlag == LZ4F_blockChecksumEnabled ? 4 : 0;
  Frame frame;
  frame.content = static_cast<std::size_t>(info.contentSize);
  frame.block_checksums = block_checksum != 0;
  frame.block_size = block_size_of(info.blockSizeID);
  for (;;) {
    if (rest.size() - at < 4) throw StoreError("LZ4 frame: cut short");
    const std::uint32_t header = read_le32(rest, at);
    at += 4;
    if (header == 0) break;  // the end mark (0x80000000 is an empty uncompressed block)
    const std::uint32_t size = header & 0x7FFFFFFFu;
    if (rest.size() - at < size + block_checksum) throw StoreError("LZ4 frame: cut short");
    at += size + block_checksum;
    frame.block_ends.push_back(at);
  }
  if (info.contentChecksumFlag == LZ4F_contentChecksumEnabled) {
    if (rest.size() - at < 4) throw StoreError("LZ4 frame: cut short");
    at += 4;
  }
  frame.bytes = rest.substr(0, at);
  return frame;
}

// Decompresses `frame` (one whole frame) into [out, out + size), its content size.
void decompress_frame(std::string_view frame, char* out, std::size_t size) {
  const auto dctx = decompression_context();
  std::size_t at_in = 0, at_out = 0;
  for (;;) {
    std::size_t in_size = frame.size() - at_in, out_size = size - at_out;
    const std::size_t hint = LZ4F_decompress(dctx.get(), out + at_out, &out_size, frame.data() + at_in, &in_size, nullptr);
    if (LZ4F_isError(hint)) fail("decompressing", hint);
    at_in += in_size;
    at_out += out_size;
    if (hint == 0) break;  // the frame is whole: its end mark and checksum read and checked
    if (in_size == 0 && out_size == 0)  // no progress: the input ended, or the content is more than the header gives
      throw StoreError(at_in == frame.size() ? "LZ4 frame: cut short" : "LZ4 frame: more content than its header gives");
  }
  if (at_in != frame.size()) throw StoreError("LZ4 frame: its blocks end before the frame does");
  if (at_out != size) throw StoreError("LZ4 frame: less content than its header gives");
}

}  // namespace

std::string lz4_frame_compress(std::string_view bytes) { return lz4_frame_compress_checked(bytes, Lz4Checksums::content); }

std::string lz4_frame_compress_checked(std::string_view bytes, Lz4Checksums checksums) {
  if (bytes.size() < kLz4SplitAt) return compress_frame(bytes, checksums);
  const std::string_view first = bytes.substr(0, bytes.size() / 2), second = bytes.substr(bytes.size() / 2);
  std::future<std::string> later;
  try {
    later = std::async(std::launch::async, [second, checksums] { return compress_frame(second, checksums); });
  } catch (const std::system_error&) {  // no thread to be had: one after the other
    return compress_frame(first, checksums) + compress_frame(second, checksums);
  }
  std::string out = compress_frame(first, checksums);  // on a throw, `later`'s destructor waits for it
  out += later.get();
  return out;
}

Lz4FrameAppender::Lz4FrameAppender(Lz4Checksums checksums) : checksums_(checksums) {}

void Lz4FrameAppender::append(std::string_view content) {
  const LZ4F_preferences_t prefs = preferences(content.size(), checksums_);
  const std::size_t bound = LZ4F_compressFrameBound(content.size(), &prefs);
  if (bound > room_size_) {
    room_ = std::make_unique_for_overwrite<char[]>(bound);
    room_size_ = bound;
  }
  frames_.append(room_.get(), compress_frame_into(room_.get(), bound, content, checksums_));
}

namespace {

// The frames of `frames`, in order, their content sizes summed within max_bytes.
std::vector<Frame> frames_of(std::string_view frames, std::size_t max_bytes) {
  std::vector<Frame> parts;
  std::size_t total = 0;
  for (std::size_t at = 0; parts.empty() || at < frames.size(); at += parts.back().bytes.size()) {
    parts.push_back(next_frame(frames.substr(at)));
    if (parts.back().content > max_bytes - total)  // never past max_bytes, so the sum cannot wrap
      throw StoreError("LZ4 frame: more than the " + std::to_string(max_bytes) + " bytes of content allowed");
    total += parts.back().content;
  }
  return parts;
}

// Appends `piece` to `out`; true once `out` holds `lines` lines, cut after the last one's "\n".
bool append_until(std::string& out, std::string_view piece, std::size_t& lines) {
  if (lines == 0) return true;
  for (std::size_t at = 0; lines > 0;) {
    const std::size_t end = piece.find('\n', at);
    if (end == std::string_view::npos) break;
    at = end + 1;
    if (--lines == 0) {
      out.append(piece.substr(0, at));
      return true;
    }
  }
  out.append(piece);
  return lines == 0;
}

// Decompresses `f`, a frame with block checksums, one block a call to
// liblz4, the block's checksum in the same call: no byte of a block comes
// out before its checksum is checked (liblz4 copies an uncompressed block
// out first and checks it after). Appends to `out` until it holds `lines`
// lines (true), or to the frame's end (false, `lines` then less). The
// checksum covers a block's data, not its header: a block before the last
// that is shorter than the frame's block size (which lz4_frame_compress
// never writes; a damaged header can make one) throws ShortBlock, and the
// caller decompresses the whole frame, checking its content checksum.
struct ShortBlock {};
bool append_blocks_until(const Frame& f, std::string& out, std::size_t& lines) {
  const auto dctx = decompression_context();
  std::string step(f.block_size, '\0');
  std::size_t from = 0, at_out = 0;
  for (std::size_t b = 0; b <= f.block_ends.size(); ++b) {
    const bool end_mark = b == f.block_ends.size();  // the end mark and content checksum, after the blocks
    const std::size_t to = end_mark ? f.bytes.size() : f.block_ends[b];
    std::size_t in_size = to - from, out_size = step.size();
    const std::size_t hint = LZ4F_decompress(dctx.get(), step.data(), &out_size, f.bytes.data() + from, &in_size, nullptr);
    if (LZ4F_isError(hint)) fail("decompressing", hint);
    if (in_size != to - from) throw StoreError("LZ4 frame: a block is longer than the frame's block size");
    from = to;
    at_out += out_size;
    if (at_out > f.content) throw StoreError("LZ4 frame: more content than its header gives");
    if (!end_mark && b + 1 < f.block_ends.size() && out_size != f.block_size) throw ShortBlock{};
    if (append_until(out, std::string_view(step.data(), out_size), lines)) return true;
    if (end_mark && hint != 0) throw StoreError("LZ4 frame: cut short");
  }
  if (at_out != f.content) throw StoreError("LZ4 frame: less content than its header gives");
  return false;
}

}  // namespace

std::string lz4_frame_decompress_lines(std::string_view frames, std::size_t lines, std::size_t max_bytes) {
  std::string out;
  if (lines == 0) return out;
  for (const Frame& f : frames_of(frames, max_bytes)) {
    if (f.skippable) continue;
    if (f.block_checksums) {
      const std::size_t before = out.size(), lines_before = lines;
      try {
        if (append_blocks_until(f, out, lines)) return out;
        continue;
      } catch (const ShortBlock&) {
        out.resize(before);
        lines = lines_before;
      }
    }
    // Only a content checksum (or blocks not of the frame's size): the whole frame, to check it.
    std::string content(f.content, '\0');
    decompress_frame(f.bytes, content.data(), content.size());
    if (append_until(out, content, lines)) return out;
  }
  return out;
}

std::string lz4_frame_decompress(std::string_view frames, std::size_t max_bytes) {
  return lz4_frame_decompress_runs({frames}, max_bytes);
}

std::size_t lz4_frame_decompress_into(std::string_view frames, char* out, std::size_t room) {
  std::size_t at = 0;
  for (const Frame& f : frames_of(frames, room)) {  // their content within `room`, checked before any is written
    if (!f.skippable) decompress_frame(f.bytes, out + at, f.content);
    at += f.content;
  }
  return at;
}

std::size_t lz4_frame_content_bytes(std::string_view frames, std::size_t max_bytes) {
  std::size_t total = 0;
  for (const Frame& f : frames_of(frames, max_bytes)) total += f.content;  // within max_bytes: frames_of checked the sum
  return total;
}

std::vector<std::string_view> lz4_frame_spans(std::string_view frames) {
  std::vector<std::string_view> out;
  for (const Frame& f : frames_of(frames, std::numeric_limits<std::size_t>::max())) out.push_back(f.bytes);
  return out;
}

std::string lz4_frame_decompress_runs(const std::vector<std::string_view>& runs, std::size_t max_bytes) {
  if (runs.empty()) throw StoreError("LZ4 frame: cut short");
  std::vector<Frame> parts;
  std::size_t allowed = max_bytes;
  for (const std::string_view run : runs) {
    std::vector<Frame> frames = frames_of(run, allowed);
    for (Frame& f : frames) {
      allowed -= f.content;  // within allowed: frames_of checked the sum
      parts.push_back(std::move(f));
    }
  }
  std::size_t total = 0;
  for (const Frame& f : parts) total += f.content;
  std::string out = huge_page_string(total);
  std::vector<std::size_t> offsets;
  for (std::size_t at = 0; const Frame& f : parts) {
    offsets.push_back(at);
    at += f.content;
  }
  // Every second frame on another thread (a large payload is two frames, or a frame a piece
  // of about 1 MiB since the fortieth session).
  const auto run = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < parts.size(); i += step)
      if (!parts[i].skippable) decompress_frame(parts[i].bytes, out.data() + offsets[i], parts[i].content);
  };
  if (parts.size() == 1) {
    run(0, 1);
    return out;
  }
  std::future<void> later;
  try {
    later = std::async(std::launch::async, run, 1, 2);
  } catch (const std::system_error&) {  // no thread to be had: all on this one
    run(0, 1);
    return out;
  }
  run(0, 2);  // on a throw, `later`'s destructor waits for it
  later.get();
  return out;
}

void lz4_frame_for_each_content(std::string_view frames, const std::function<void(std::string_view)>& each,
                                 std::size_t max_bytes) {
  std::string content;
  for (const Frame& f : frames_of(frames, max_bytes)) {
    if (f.skippable) continue;
    if (f.content > content.size()) content.resize(f.content);
    decompress_frame(f.bytes, content.data(), f.content);
    each(std::string_view(content.data(), f.content));
  }
}

}  // namespace marquee
