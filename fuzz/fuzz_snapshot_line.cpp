// libFuzzer target: one line of a snapshot payload (docs/snapshot-format.md)
// read by SnapshotLineParser, as servers read local snapshot files and
// backups. A line it accepts must come back unchanged through the encoder:
// encode_snapshot's line for the event parses to the same event.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/snapshot_codec.hpp"
#include "app/snapshot_line_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static marquee::SnapshotLineParser parser;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  marquee::Event event;
  if (!parser.parse(line, event).empty()) return 0;
  std::string again = marquee::encode_snapshot({event});
  again.pop_back();  // the line end
  marquee::Event back;
  if (!parser.parse(again, back).empty() || !(back == event)) std::abort();
  return 0;
}
