#pragma once
// Text written line by line and handed on in pieces of whole lines, in one
// buffer reused from piece to piece: a snapshot's payload and its changelog
// are never held whole (docs/performance.md, "A payload in pieces").
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace marquee {

/// Each piece handed to the sink is whole lines, ending with the first line
/// that takes it to `piece_bytes` bytes or more; the last may hold fewer.
/// A view is valid during its call only. Not thread-safe.
class LinePieces {
 public:
  LinePieces(std::size_t piece_bytes, const std::function<void(std::string_view)>& sink);
  /// The buffer to append the next whole line to; line_done() after each line.
  std::string& text() noexcept { return text_; }
  /// Hands the text on once it holds `piece_bytes` or more. Throws what the sink throws.
  void line_done();
  /// Hands on what is left, if anything. Throws what the sink throws.
  void finish();

 private:
  std::size_t piece_bytes_;
  const std::function<void(std::string_view)>& sink_;
  std::string text_;
};

}  // namespace marquee
