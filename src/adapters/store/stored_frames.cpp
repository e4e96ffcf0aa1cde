#include "adapters/store/stored_frames.hpp"

#include <charconv>
#include <string_view>
#include <system_error>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/lz4_frame.hpp"
#include "adapters/store/payload_frames.hpp"
#include "adapters/store/snapshot_storage.hpp"
#include "core/huge_pages.hpp"
#include "ports/store.hpp"

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

std::optional<std::size_t> payload_bytes_of(const std::optional<std::string>& text, std::int64_t number) {
  if (!text) return std::nullopt;
  std::size_t bytes = 0;
  const char* end = text->data() + text->size();
  if (const auto [at, ec] = std::from_chars(text->data(), end, bytes); ec != std::errc() || at != end)
    throw StoreError("snapshot " + std::to_string(number) + ": its payload_bytes \"" + *text + "\" is no size");
  return bytes;
}

void write_payload_rows(SqlConnection& db, std::int64_t number, std::string_view frames) {
  db.insert_byte_rows(std::string(kFramesTable), "snapshot_number", number, "seq", "frame", lz4_frame_spans(frames));
}

std::optional<std::string> read_payload_rows(SqlConnection& db, std::int64_t number,
                                             std::optional<std::size_t> content_bytes, bool in_place) {
  const std::string table(kFramesTable);
  constexpr std::size_t kMaxContent = std::size_t{1} << 31;  // as lz4_frame_decompress allows
  if (content_bytes > kMaxContent)
    throw StoreError("snapshot " + std::to_string(number) + ": its row gives " + std::to_string(*content_bytes) +
                     " bytes of content, over the " + std::to_string(kMaxContent) + " a payload may have");
  const auto wrong_size = [&](std::size_t found) {
    return StoreError("snapshot " + std::to_string(number) + ": its frames hold " + std::to_string(found) +
                      " bytes of content, not the " + std::to_string(*content_bytes) + " its row gives");
  };
  if (content_bytes && in_place) {
    std::string content = huge_page_string(*content_bytes);
    std::size_t at = 0;
    const std::size_t rows = db.each_byte_row(table, "snapshot_number", number, "seq", "frame", [&](std::string_view frame) {
      at += lz4_frame_decompress_into(frame, content.data() + at, content.size() - at);  // throws past the size
    });
    if (rows == 0) return std::nullopt;
    if (at != content.size()) throw wrong_size(at);
    return content;
  }
  // Each row's bytes are kept (3.9 MB in all at 100,000 events, in rows of about 100 KB) and
  // decompressed once all are read, into one content on two threads.
  std::vector<std::string> rows;
  db.each_byte_row(table, "snapshot_number", number, "seq", "frame", [&rows](std::string_view frame) { rows.emplace_back(frame); });
  if (rows.empty()) return std::nullopt;
  std::string content = lz4_frame_decompress_runs(std::vector<std::string_view>(rows.begin(), rows.end()));
  if (content_bytes && content.size() != *content_bytes) throw wrong_size(content.size());
  return content;
}

std::optional<std::string> read_stored_payload(SqlConnection& db, std::int64_t number, const std::optional<std::string>& layout,
                                               const std::optional<std::string>& payload_bytes) {
  // On PostgreSQL each row's content is put in place as it comes, while the backend sends the
  // rest; SQLite reads the rows at once from its file, and its frames are then decompressed on
  // two threads (one thread putting each in place made the server's part at 100,000 events
  // about 45 ms slower, alternated runs).
  if (layout == "2") return read_payload_rows(db, number, payload_bytes_of(payload_bytes, number), db.backend() == "postgres");
  if (layout == "1") return read_frame_content(db, "snapshots", "payload_lz4", "number", number);
  return db.read_bytes("snapshots", "payload", "number", number);
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
