#include "adapters/store/stored_frames.hpp"

#include <future>
#include <string_view>
#include <system_error>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/lz4_frame.hpp"

namespace marquee {

std::string changelog_frames(const std::vector<EventChange>& changes) {
  constexpr std::size_t kPiece = std::size_t{1} << 20, kSplitAt = 4096;
  const auto frame = [&changes](std::size_t begin, std::size_t end) {
    Lz4FrameAppender frames(Lz4Checksums::content_and_blocks);
    encode_changelog_lines(changes, begin, end, kPiece, [&](std::string_view piece) { frames.append(piece); });
    return std::move(frames.frames());
  };
  if (changes.size() < kSplitAt) return frame(0, changes.size());
  const std::size_t half = changes.size() / 2;
  std::future<std::string> second;
  try {
    second = std::async(std::launch::async, frame, half, changes.size());
  } catch (const std::system_error&) {  // no thread to be had: one after the other
    return frame(0, half) + frame(half, changes.size());
  }
  std::string out = frame(0, half);  // on a throw, `second`'s destructor waits for it
  out += second.get();
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
