#include "adapters/store/payload_frames.hpp"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "core/sha256.hpp"

namespace marquee {

FramedPayload frame_payload_parts(std::size_t parts, const PayloadWriter& write) {
  if (parts == 0) throw std::invalid_argument("a payload of no parts");
  struct Part {
    Lz4FrameAppender frames;
    std::size_t bytes = 0;
  };
  std::vector<Part> framed(parts);
  Sha256 hash;
  const auto write_part = [&](std::size_t p) {
    write(p, [&, p](std::string_view piece) {
      if (p == 0) hash.update(piece);
      framed[p].frames.append(piece);
      framed[p].bytes += piece.size();
    });
  };
  {
    std::vector<std::future<void>> others;  // waited for in their destructors, also on a throw
    for (std::size_t p = 1; p < parts; ++p) {
      try {
        others.push_back(std::async(std::launch::async, write_part, p));
      } catch (const std::system_error&) {  // no thread to be had: this one writes it after part 0
        others.push_back(std::async(std::launch::deferred, write_part, p));
      }
    }
    write_part(0);
    for (auto& other : others) other.get();
  }
  FramedPayload out;
  for (std::size_t p = 0; p < parts; ++p) {
    if (p > 0) lz4_frame_for_each_content(framed[p].frames.frames(), [&](std::string_view content) { hash.update(content); });
    out.content_bytes += framed[p].bytes;
    if (p == 0) out.frames = std::move(framed[p].frames.frames());
    else out.frames += framed[p].frames.frames();
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
  return frame_payload_parts(parts, [&](std::size_t part, const PayloadSink& sink) {
    const std::size_t begin = payload.size() * part / parts, end = payload.size() * (part + 1) / parts;
    for (std::size_t at = begin; at < end; at += kPiece) sink(payload.substr(at, std::min(kPiece, end - at)));
  });
}

}  // namespace marquee
