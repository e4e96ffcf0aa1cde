#include "adapters/store/payload_frames.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "core/sha256.hpp"

namespace marquee {

namespace {

struct Stopped {};  // another part failed: this one stops at its next piece

}  // namespace

std::vector<FramedPart> frame_parts(std::size_t parts, Lz4Checksums checksums, const PayloadWriter& write,
                                    const PayloadSink& first_part_piece) {
  if (parts == 0) throw std::invalid_argument("a payload of no parts");
  struct Part {
    Lz4FrameAppender frames;
    std::size_t bytes = 0;
  };
  std::vector<Part> framed;
  framed.reserve(parts);
  for (std::size_t p = 0; p < parts; ++p) framed.push_back(Part{Lz4FrameAppender(checksums), 0});
  std::atomic<bool> stopping{false};  // a part failed: the others stop too
  const auto write_part = [&](std::size_t p) {
    try {
      write(p, [&, p](std::string_view piece) {
        if (stopping.load(std::memory_order_relaxed)) throw Stopped{};
        if (p == 0 && first_part_piece) first_part_piece(piece);
        framed[p].frames.append(piece);
        framed[p].bytes += piece.size();
      });
    } catch (const Stopped&) {
      throw;
    } catch (...) {
      stopping = true;
      throw;
    }
  };
  {
    std::vector<std::future<void>> others;  // waited for in their destructors, also on a throw
    others.reserve(parts - 1);
    for (std::size_t p = 1; p < parts; ++p) {
      try {
        others.push_back(std::async(std::launch::async, write_part, p));
      } catch (const std::system_error&) {  // no thread to be had: this one writes it after part 0
        others.push_back(std::async(std::launch::deferred, write_part, p));
      }
    }
    bool first_stopped = false;
    try {
      write_part(0);
    } catch (const Stopped&) {  // a later part failed: its error is thrown below
      first_stopped = true;
    }
    for (auto& other : others) {
      try {
        other.get();
      } catch (const Stopped&) {  // stopped by the part that failed
      }
    }
    if (first_stopped) throw std::logic_error("a payload's part stopped without a part failing");
  }
  std::vector<FramedPart> out;
  out.reserve(parts);
  for (Part& part : framed) out.push_back(FramedPart{std::move(part.frames.frames()), part.bytes});
  return out;
}

FramedPayload frame_payload_parts(std::size_t parts, const PayloadWriter& write) {
  Sha256 hash;
  std::vector<FramedPart> framed =
      frame_parts(parts, Lz4Checksums::content, write, [&hash](std::string_view piece) { hash.update(piece); });
  FramedPayload out;
  std::size_t frame_bytes = 0;
  for (const FramedPart& part : framed) frame_bytes += part.frames.size();
  out.frames.reserve(frame_bytes);
  for (std::size_t p = 0; p < framed.size(); ++p) {
    std::string& frames = framed[p].frames;
    if (p > 0 && !frames.empty()) lz4_frame_for_each_content(frames, [&](std::string_view content) { hash.update(content); });
    out.content_bytes += framed[p].bytes;
    out.frames += frames;
    std::string().swap(frames);  // freed as it is copied
  }
  if (out.frames.empty()) {  // no content: still one frame, as every stored payload has
    Lz4FrameAppender empty;
    empty.append({});
    out.frames = std::move(empty.frames());
  }
  out.content_hash = hash.hex();
  return out;
}

FramedPayload frame_payload_bytes(std::string_view payload) {
  constexpr std::size_t kPiece = std::size_t{1} << 20;
  const std::size_t parts = payload.size() < kLz4SplitAt ? 1 : 2;
  // Each part, and each piece, ends at a line end (the last may not), as a publish writes them.
  const auto line_end_from = [&](std::size_t at) {
    if (at >= payload.size()) return payload.size();
    const std::size_t end = payload.find('\n', at);
    return end == std::string_view::npos ? payload.size() : end + 1;
  };
  return frame_payload_parts(parts, [&](std::size_t part, const PayloadSink& sink) {
    const std::size_t begin = part == 0 ? 0 : line_end_from(payload.size() * part / parts);
    const std::size_t end = part + 1 == parts ? payload.size() : line_end_from(payload.size() * (part + 1) / parts);
    for (std::size_t at = begin; at < end;) {
      const std::size_t next = std::min(end, line_end_from(at + kPiece - 1));
      sink(payload.substr(at, next - at));
      at = next;
    }
  });
}

}  // namespace marquee
