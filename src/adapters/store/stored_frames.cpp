#include "adapters/store/stored_frames.hpp"

#include <string_view>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/lz4_frame.hpp"

namespace marquee {

std::optional<std::string> read_frame_content(SqlConnection& db, const std::string& table, const std::string& column,
                                              const std::string& key_column, std::int64_t key) {
  std::optional<std::string> content;
  db.with_bytes(table, column, key_column, key, [&](std::string_view frames) { content = lz4_frame_decompress(frames); });
  return content;
}

std::optional<std::vector<EventChange>> read_changelog_frame(SqlConnection& db, std::int64_t number, std::size_t limit) {
  std::string lines;
  const bool all = limit == std::numeric_limits<std::size_t>::max();  // all: both frames on two threads
  if (!db.with_bytes("snapshot_changelogs", "changes_lz4", "snapshot_number", number, [&](std::string_view frames) {
        lines = all ? lz4_frame_decompress(frames) : lz4_frame_decompress_lines(frames, limit);
      }))
    return std::nullopt;
  return decode_changelog_lines(lines, limit);
}

}  // namespace marquee
