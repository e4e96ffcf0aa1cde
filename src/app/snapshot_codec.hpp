#pragma once
// The snapshot payload: JSON Lines, one public event per line, in the
// programme's order, by start then key (docs/snapshot-format.md). The same
// programme always gives the same bytes, so the SHA-256 of the payload
// identifies its content.
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/programme.hpp"

namespace marquee {

class SnapshotFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One line per event: {"key","title","description","starts_at","ends_at"
/// (UTC seconds),"time_zone","all_day","venue","address","room","category",
/// "tags","organizer","url","image_url","price","capacity" (null = unlimited),
/// "status","registration","waitlist","retention_days","questions" (the
/// question text form)}. Events are written in the order given.
std::string encode_snapshot(const std::vector<Event>& events);

/// A payload's bytes (encode_snapshot_bytes), in a buffer never zero-filled.
/// view() is `size` bytes, valid while this object lives (a move keeps it:
/// the buffer is on the heap).
class SnapshotBytes {
 public:
  SnapshotBytes() = default;
  SnapshotBytes(std::unique_ptr<char[]> data, std::size_t size);
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

/// The bytes of encode_snapshot(events), written once: each line's bytes
/// are counted first, then written in place (from 4,000 events each half on
/// its own thread), so the payload is not copied and its memory is touched
/// once (44 MB at 100,000 events, advised for huge pages). Throws
/// std::bad_alloc, std::system_error when no thread can be started, and
/// std::logic_error if a line's bytes were not as counted (a bug).
SnapshotBytes encode_snapshot_bytes(const std::vector<Event>& events);

/// Parses a payload. Throws SnapshotFormatError naming the line on malformed input.
std::vector<Event> decode_snapshot(const std::string& payload);

/// The same events, each parsed straight into the `event` of a programme
/// entry (the other fields left empty, for build_programme_from_entries to
/// fill): a server installing a snapshot of 100,000 events makes no second
/// vector of them. `slots`: default entries to parse into, e.g. made on
/// another thread while the payload was read: one for each line of the
/// payload and one more (its events + 1); with fewer, more are made (the
/// vector may then move them all), those over are dropped. Throws
/// SnapshotFormatError as decode_snapshot. `made`, when given, is called
/// with each entry as soon as its event is parsed, on the thread that parsed
/// it (two threads at once for a payload over 800 KB, so it must be safe to
/// call concurrently on different entries): the server makes the rest of the
/// entry there while the event is in the cache (make_programme_entry). The
/// entries may be moved afterwards (a blank line's gap closed, the vector
/// resized): `made` must not keep pointers to them. What `made` throws is
/// thrown (for a chunked payload, the first in payload order).
std::vector<ProgrammeEntry> decode_snapshot_entries(const std::string& payload, std::vector<ProgrammeEntry> slots = {},
                                                    const std::function<void(ProgrammeEntry&)>& made = {});

}  // namespace marquee
