#pragma once
// The snapshot payload: JSON Lines, one public event per line, in the
// programme's order, by start then key (docs/snapshot-format.md). The same
// programme always gives the same bytes, so the SHA-256 of the payload
// identifies its content.
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/slots_made_ahead.hpp"
#include "core/event.hpp"
#include "core/programme.hpp"
#include "ports/snapshot_store.hpp"

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

/// How many bytes each piece of encode_snapshot_part holds at least (the last may hold fewer).
inline constexpr std::size_t kSnapshotPieceBytes = std::size_t{1} << 20;

/// How many parts a payload of `events` events is best encoded in, for the
/// caller to run each on a thread of its own (encode_snapshot_part;
/// SnapshotStore::frame_payload does): 2 from 4,000 events on, else 1.
std::size_t snapshot_parts(std::size_t events);

/// Part `part` (0-based) of `parts` of encode_snapshot(events): the events
/// split by count, part 0 the first; the parts' bytes one after the other
/// are the whole payload. Handed to `piece` in order, in pieces of whole
/// lines: each piece ends with the first line that takes it to
/// `piece_bytes` bytes or more (the last piece may hold fewer), written
/// once into one buffer reused from piece to piece: at
/// 100,000 events the 44 MB payload is never held whole (new memory is dear
/// here: docs/performance.md, "A payload in pieces"). A view is valid only
/// during its call. Throws std::invalid_argument when part >= parts, and
/// what `piece` throws (nothing more is encoded then), std::bad_alloc.
void encode_snapshot_part(const std::vector<Event>& events, std::size_t part, std::size_t parts,
                          const std::function<void(std::string_view)>& piece,
                          std::size_t piece_bytes = kSnapshotPieceBytes);

/// encode_snapshot_part() of the events `events` points to, in that order
/// (programme_order_of gives them in the programme's order without moving
/// them): the same bytes as for a vector of those events; throws as
/// encode_snapshot_part (std::invalid_argument when part >= parts).
void encode_snapshot_part_by_pointer(const std::vector<const Event*>& events, std::size_t part, std::size_t parts,
                                     const std::function<void(std::string_view)>& piece,
                                     std::size_t piece_bytes = kSnapshotPieceBytes);

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

/// The same into slots still being made on another thread: a large payload's
/// chunks are decoded as soon as their own slots are made, not after the
/// last. `slots` should hold the payload's lines + 1 (more are dropped; with
/// fewer, all are waited for and more made). Whatever is thrown, `slots` may
/// only be destroyed afterwards (its values partly decoded); on success its
/// vector has been taken. Throws SnapshotFormatError as decode_snapshot, and
/// what making the slots threw.
std::vector<ProgrammeEntry> decode_snapshot_entries(const std::string& payload, SlotsMadeAhead<ProgrammeEntry>& slots,
                                                    const std::function<void(ProgrammeEntry&)>& made = {});

/// The same from a payload in the pieces it is stored in (PayloadPieces: a
/// frame a row, about 40 pieces of 1 MiB at 100,000 events): two threads
/// take the pieces in turn, each making its piece's text in a buffer of its
/// own (decompressing it) and decoding its lines into their slots, a piece's
/// first slot known once the pieces before it are counted. The whole
/// content is never held, and no piece waits for the last to be
/// decompressed. One piece is decoded as the text overload decodes a
/// payload. nullopt, with the slots left untaken, when the pieces cannot be
/// decoded one by one: a piece before the last ends inside a line (never in
/// rows Marquee wrote), or they hold more lines than `slots`; the caller
/// then decodes the whole payload into new slots (these are partly decoded,
/// `made` has run on some: destroy them, never reuse them). Throws
/// SnapshotFormatError for the first malformed line in payload order (its
/// line number in the whole payload), StoreError for a damaged piece (the
/// first in order), and what making the slots threw; `slots` may only be
/// destroyed afterwards. On success the slots' vector has been taken.
std::optional<std::vector<ProgrammeEntry>> decode_snapshot_entries(const PayloadPieces& payload,
                                                                   SlotsMadeAhead<ProgrammeEntry>& slots,
                                                                   const std::function<void(ProgrammeEntry&)>& made = {});

}  // namespace marquee
