#include "adapters/store/stored_pieces.hpp"

#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "adapters/store/snapshot_storage.hpp"
#include "adapters/store/stored_frames.hpp"
#include "ports/store.hpp"

namespace marquee {

namespace {

constexpr std::size_t kMaxContent = std::size_t{1} << 31;  // as lz4_frame_decompress allows

class StoredPieces final : public PayloadPieces {
 public:
  struct Piece {
    std::string_view bytes;   // its frames, or its text
    std::size_t content = 0;  // its text's size
  };

  StoredPieces(std::vector<std::string> held, std::vector<Piece> pieces, bool text)
      : held_(std::move(held)), pieces_(std::move(pieces)), text_(text) {
    for (const Piece& p : pieces_) content_bytes_ += p.content;
  }

  std::size_t size() const override { return pieces_.size(); }
  std::size_t content_bytes() const override { return content_bytes_; }

  std::string_view text(std::size_t i, std::string& buffer) const override {
    const Piece& p = pieces_.at(i);
    if (text_) return p.bytes;
    buffer.resize(p.content);
    lz4_frame_decompress_into(p.bytes, buffer.data(), p.content);  // throws for content other than its headers give
    return {buffer.data(), p.content};
  }

 private:
  std::vector<std::string> held_;  // the bytes the pieces view
  std::vector<Piece> pieces_;
  std::size_t content_bytes_ = 0;
  bool text_ = false;
};

// Pieces of frames, each piece's content size from its headers, their sum within kMaxContent.
std::vector<StoredPieces::Piece> framed(const std::vector<std::string_view>& spans) {
  std::vector<StoredPieces::Piece> pieces;
  pieces.reserve(spans.size());
  std::size_t total = 0;
  for (const std::string_view bytes : spans) {
    const std::size_t content = lz4_frame_content_bytes(bytes, kMaxContent - total);
    total += content;
    pieces.push_back({bytes, content});
  }
  return pieces;
}

}  // namespace

std::unique_ptr<const PayloadPieces> read_stored_pieces(SqlConnection& db, std::int64_t number,
                                                        const std::optional<std::string>& layout,
                                                        const std::optional<std::string>& payload_bytes) {
  std::vector<std::string> held;
  std::vector<std::string_view> spans;
  if (layout == "2") {
    db.each_byte_row(std::string(kFramesTable), "snapshot_number", number, "seq", "frame",
                     [&held](std::string_view frame) { held.emplace_back(frame); });
    if (held.empty()) return nullptr;
    spans.assign(held.begin(), held.end());  // a piece a row
  } else if (layout == "1") {
    // One piece of all its frames: such a value of two frames (schema 24 before the fortieth
    // session) was cut at its middle, inside a line, and is decoded as one text.
    auto value = db.read_bytes("snapshots", "payload_lz4", "number", number);
    if (!value) return nullptr;
    held.push_back(std::move(*value));
    spans.emplace_back(held.back());
  } else {
    auto text = db.read_bytes("snapshots", "payload", "number", number);
    if (!text) return nullptr;
    held.push_back(std::move(*text));
    const std::string_view all(held.back());
    return std::make_unique<const StoredPieces>(std::move(held), std::vector<StoredPieces::Piece>{{all, all.size()}}, true);
  }
  auto pieces = std::make_unique<const StoredPieces>(std::move(held), framed(spans), false);
  if (const auto bytes = payload_bytes_of(payload_bytes, number); bytes && *bytes != pieces->content_bytes())
    throw StoreError("snapshot " + std::to_string(number) + ": its frames hold " + std::to_string(pieces->content_bytes()) +
                     " bytes of content, not the " + std::to_string(*bytes) + " its row gives");
  return pieces;
}

}  // namespace marquee
