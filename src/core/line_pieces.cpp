#include "core/line_pieces.hpp"

namespace marquee {

LinePieces::LinePieces(std::size_t piece_bytes, const std::function<void(std::string_view)>& sink)
    : piece_bytes_(piece_bytes), sink_(sink) {
  text_.reserve(piece_bytes + piece_bytes / 4);  // a line of up to a quarter piece lands without a reallocation
}

void LinePieces::line_done() {
  if (text_.size() < piece_bytes_) return;
  sink_(text_);
  text_.clear();
}

void LinePieces::finish() {
  if (text_.empty()) return;
  sink_(text_);
  text_.clear();
}

}  // namespace marquee
