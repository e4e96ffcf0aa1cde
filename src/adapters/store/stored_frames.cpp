#include "adapters/store/stored_frames.hpp"

#include <string_view>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/lz4_frame.hpp"
#include "adapters/store/payload_frames.hpp"

namespace marquee {

std::string changelog_frames(const std::vector<EventChange>& changes) {
  constexpr std::size_t kPiece = std::size_t{1} << 20, kSplitAt = 4096;
  const std::size_t parts = changes.size() < kSplitAt ? 1 : 2;
  std::string out;
  for (FramedPart& part : frame_parts(parts, Lz4Checksums::content_and_blocks, [&](std::size_t p, const PayloadSink& sink) {
         encode_changelog_lines(changes, changes.size() * p / parts, changes.size() * (p + 1) / parts, kPiece, sink);
       }))
    out += part.frames;
  return out;
}

std::optional<std::string> read_frame_content(SqlConnection& db, const std::string& table, const std::string& column,
                                              const std::string& key_column, std::int64_t key) {
  std::optional<std::string> content;
  db.with_bytes(table, column, key_column, key, [&](std::string_view frames) { content = lz4_frame_decompress(frames); });
  return content;
}

std::optional<std::vector<EventChange>> read_changelog_frame(SqlConnection& db, std::int64_t number, std::size_t limit) {
  std::string lines;
  const bool all = limit == std::numeric_limits<std::size_t>::max();  // all: the frames on two threads
  if (!db.with_bytes("snapshot_changelogs", "changes_lz4", "snapshot_number", number, [&](std::string_view frames) {
        lines = all ? lz4_frame_decompress(frames) : lz4_frame_decompress_lines(frames, limit);
      }))
    return std::nullopt;
  return decode_changelog_lines(lines, limit);
}

}  // namespace marquee
