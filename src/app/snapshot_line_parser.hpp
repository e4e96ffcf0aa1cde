#pragma once
// One line of a snapshot payload (docs/snapshot-format.md) parsed straight
// into an Event by Boost.JSON's push parser (`boost::json::basic_parser`):
// no JSON document is built, and each field's text is written once, into the
// event. At 100,000 events, building a document per line and looking its
// fields up by name was most of a server's time to install a new snapshot.
#include <memory>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

class SnapshotLineParser {
 public:
  SnapshotLineParser();
  ~SnapshotLineParser();
  SnapshotLineParser(const SnapshotLineParser&) = delete;
  SnapshotLineParser& operator=(const SnapshotLineParser&) = delete;

  /// Parses `line` (one JSON object, RFC 8259) into `out`, which is reset
  /// first. Returns "" on success, else what is wrong ("not JSON: …", "no
  /// field \"title\"", "\"starts_at\" is not an integer", …). Every field of
  /// the format is required with its type (capacity and retention_days may
  /// be null); fields the format does not name are skipped, whatever their
  /// value; a repeated field keeps its last value, but each value it is given
  /// must be valid (the encoder never repeats one). Reusable line after line,
  /// also after a failure.
  std::string parse(std::string_view line, Event& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee
