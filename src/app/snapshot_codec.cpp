#include "app/snapshot_codec.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <iterator>
#include <limits>
#include <new>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <boost/json/serializer.hpp>

#include "app/snapshot_line_parser.hpp"
#include "core/line_pieces.hpp"
#include "core/question.hpp"

namespace marquee {
namespace {

// Large programmes are encoded in two parts (snapshot_parts: each on a thread of the
// store's, SnapshotStore::frame_payload) and decoded in chunks on two threads; the bytes
// and the events are the same as from one pass.
constexpr std::size_t kSplitAt = 4000;
// A large payload is decoded in chunks of about this many bytes (ending at a line end).
constexpr std::size_t kDecodeChunkBytes = std::size_t{1} << 20;

/// True when `s` holds a byte that a JSON string must escape (RFC 8259 §7:
/// '"', '\\' and the control characters below 0x20; Boost.JSON's serializer
/// escapes those and no other). Sixteen bytes at a time with SSE2 (every
/// x86-64 CPU has it): a byte at most 0x1F equals its unsigned minimum with
/// 0x1F. Elsewhere eight at a time: a byte below 0x20, or one equal to '"'
/// or '\\' (zero after the XOR), sets its high bit in the sums below
/// ("determine if a word has a byte less than n", Bit Twiddling Hacks,
/// S. E. Anderson), and no other byte does unless such a byte is in the word.
bool needs_json_escape(std::string_view s) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                     _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto below = [](std::uint64_t w, std::uint64_t n) { return (w - ones * n) & ~w & highs; };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (below(w, 0x20) | below(w ^ (ones * '"'), 1) | below(w ^ (ones * '\\'), 1)) return true;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return true;
  }
  return false;
}

/// Appends `s` as a JSON string (RFC 8259 §7: quoted, escaped by
/// Boost.JSON's serializer, the same bytes as serializing a json::string).
/// A string with nothing to escape (nearly all) is copied as it is.
template <typename Out>
void append_json_string(boost::json::serializer& sr, std::string_view s, Out& out) {
  if (!needs_json_escape(s)) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  sr.reset(s);
  char buf[1024];
  do {
    const auto part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  } while (!sr.done());
}

template <typename Out>
void append_int(std::int64_t v, Out& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// Appends one event's line to `out` (a std::string). Written field by field in a fixed order,
/// the bytes of boost::json::serialize of an object built in that order
/// (keys as they are, integers in decimal, strings escaped by `sr`), without
/// the object or a copy of its strings (a test compares the two).
template <typename Out>
void encode_one(const Event& e, boost::json::serializer& sr, Out& out) {
  const auto text = [&](std::string_view name, const std::string& value) {
    out += name;
    append_json_string(sr, value, out);
  };
  const auto flag = [&](std::string_view name, bool value) {
    out += name;
    out += value ? "true" : "false";
  };
  const auto number = [&](std::string_view name, const std::optional<std::int64_t>& value) {
    out += name;
    if (value) append_int(*value, out);
    else out += "null";
  };
  text("{\"key\":", e.key);
  text(",\"title\":", e.title);
  text(",\"description\":", e.description);
  number(",\"starts_at\":", e.starts_at);
  number(",\"ends_at\":", e.ends_at);
  text(",\"time_zone\":", e.time_zone);
  flag(",\"all_day\":", e.all_day);
  text(",\"venue\":", e.venue);
  text(",\"address\":", e.address);
  text(",\"room\":", e.room);
  text(",\"category\":", e.category);
  out += ",\"tags\":[";
  for (std::size_t i = 0; i < e.tags.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(sr, e.tags[i], out);
  }
  out.push_back(']');
  text(",\"organizer\":", e.organizer);
  text(",\"url\":", e.url);
  text(",\"image_url\":", e.image_url);
  text(",\"price\":", e.price);
  number(",\"capacity\":", e.capacity);
  out += ",\"status\":";
  append_json_string(sr, to_string(e.status), out);
  flag(",\"registration\":", e.registration);
  flag(",\"waitlist\":", e.waitlist);
  number(",\"retention_days\":", e.retention_days);
  text(",\"questions\":", format_questions(e.questions));
  out += "}\n";
}

/// Decodes the lines of `payload` into the events of out[at], out[at + 1], …
/// (default slots, one for each line at least; `event_of(slot)` is its
/// event) and returns how many it filled; `first_line` is the 1-based number
/// of its first line. Each event is parsed in its place: never moved.
template <typename Slot, typename EventOf, typename Finish>
std::size_t decode_range(std::string_view payload, int first_line, Slot* out, std::size_t at, EventOf event_of,
                         const Finish& finish) {
  SnapshotLineParser parser;
  std::size_t b = 0, filled = 0;
  int line = first_line - 1;
  while (b < payload.size()) {
    auto e = payload.find('\n', b);
    if (e == std::string_view::npos) e = payload.size();
    ++line;
    const std::string_view text = payload.substr(b, e - b);
    b = e + 1;
    if (text.empty()) continue;
    std::string problem;
    try {
      problem = parser.parse(text, event_of(out[at + filled]));
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& ex) {  // whatever a value's own parser throws: still this line's fault
      problem = ex.what();
    }
    if (!problem.empty()) throw SnapshotFormatError("snapshot payload line " + std::to_string(line) + ": " + problem);
    finish(out[at + filled]);  // while its event is still in the cache
    ++filled;
  }
  return filled;
}

/// Lowers `failed` to `k` unless it holds a lower piece already.
inline void note_failed(std::atomic<std::size_t>& failed, std::size_t k) {
  for (std::size_t f = failed.load(); k < f && !failed.compare_exchange_weak(f, k);) {
  }
}

/// Runs `work` on this thread and on another at once, and returns once both
/// are done; what this thread's run throws is thrown after the other's end,
/// then what the other's threw.
template <typename Work>
void on_two_threads(const Work& work) {
  auto later = std::async(std::launch::async, work);
  try {
    work();
  } catch (...) {
    later.wait();
    throw;
  }
  later.get();
}

/// Closes up the gaps blank lines left in `out` (never in a payload Marquee
/// wrote): each range's `filled` values, from its `first_slot` on, moved to
/// follow the ranges before it, and `out` cut after the last.
template <typename Slot, typename Ranges>
void close_gaps(std::vector<Slot>& out, const Ranges& ranges) {
  std::size_t at = 0;
  for (const auto& r : ranges) {
    if (at != r.first_slot)
      std::move(out.begin() + static_cast<std::ptrdiff_t>(r.first_slot),
                out.begin() + static_cast<std::ptrdiff_t>(r.first_slot + r.filled), out.begin() + static_cast<std::ptrdiff_t>(at));
    at += r.filled;
  }
  out.resize(at);
}

/// A payload's events in default-made slots (see decode_range). A large one
/// is cut at line ends into chunks of about kDecodeChunkBytes, which two
/// threads take in turn until none is left, each into its own slots (no
/// event moved from one vector into another): a thread slowed down (by new
/// memory of its own heap, by other work) takes fewer chunks, where halves
/// had left one thread waiting for the other. A malformed line is reported
/// as by one pass: the first in the payload.
///
/// `ahead`, when given, holds the slots instead of `out`, still being made:
/// each chunk waits only for its own slots (enough for every line and one
/// more; with fewer, all are waited for and more made as with `out`).
template <typename Slot, typename EventOf, typename Finish>
std::vector<Slot> decode_slots(std::string_view payload, EventOf event_of, const Finish& finish, std::vector<Slot> out = {},
                               SlotsMadeAhead<Slot>* ahead = nullptr) {
  const std::string_view all(payload);
  if (all.size() <= kSplitAt * 200) {
    if (ahead) out = ahead->take();
    out.resize(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')) + 1);  // a slot a line
    out.resize(decode_range(all, 1, out.data(), 0, event_of, finish));
    return out;
  }
  struct Chunk {
    std::string_view text;
    std::size_t first_slot = 0;  // the lines before it: its first line is first_slot + 1
    std::size_t lines = 0;       // its slots: a line each (a last line without a line end too)
    std::size_t filled = 0;      // its events (blank lines fill none)
    std::exception_ptr error;
  };
  std::vector<Chunk> chunks;
  for (std::size_t b = 0, slot = 0; b < all.size();) {
    std::size_t e = std::min(all.size(), b + kDecodeChunkBytes);
    if (e < all.size()) {
      e = all.find('\n', e);
      e = e == std::string_view::npos ? all.size() : e + 1;
    }
    const std::string_view text = all.substr(b, e - b);
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
    chunks.push_back(Chunk{text, slot, lines, 0, nullptr});
    slot += lines;
    b = e;
  }
  const std::size_t slots = chunks.back().first_slot + chunks.back().lines + 1;  // and one after the last line end, as one pass makes
  if (ahead && ahead->size() < slots) {
    out = ahead->take();
    ahead = nullptr;
  }
  if (!ahead) out.resize(slots);
  Slot* const base = ahead ? ahead->data() : out.data();
  std::atomic<std::size_t> next{0}, failed{chunks.size()};  // failed: the first chunk found malformed
  const auto work = [&] {
    for (std::size_t k; (k = next++) < chunks.size();) {
      if (k > failed.load()) continue;  // past a malformed line: not needed
      Chunk& c = chunks[k];
      if (ahead) ahead->wait_for(c.first_slot + c.lines);  // throws what making them threw
      try {
        c.filled = decode_range(c.text, 1 + static_cast<int>(c.first_slot), base, c.first_slot, event_of, finish);
      } catch (...) {
        c.error = std::current_exception();
        note_failed(failed, k);
      }
    }
  };
  on_two_threads(work);
  for (const Chunk& c : chunks)
    if (c.error) std::rethrow_exception(c.error);  // the first in the payload
  if (ahead) {
    out = ahead->take();
    out.resize(slots);  // those over dropped
  }
  close_gaps(out, chunks);
  return out;
}

/// A payload's events from its stored pieces into `ahead`'s slots (see
/// decode_snapshot_entries for PayloadPieces). Two threads take the pieces
/// in turn: each makes its piece's text in a buffer of its own and counts
/// its lines, waits for the count of the lines before it (the piece before
/// publishes it as soon as it has counted its own), publishes its own, and
/// decodes its lines into their slots once those are made. nullopt when the
/// pieces cannot be decoded one by one.
template <typename Slot, typename EventOf, typename Finish>
std::optional<std::vector<Slot>> decode_pieces(const PayloadPieces& payload, EventOf event_of, const Finish& finish,
                                               SlotsMadeAhead<Slot>& ahead) {
  const std::size_t n = payload.size();
  if (n == 0) throw SnapshotFormatError("snapshot payload: no piece");
  if (n == 1) {
    std::string buffer;
    return decode_slots(payload.text(0, buffer), event_of, finish, {}, &ahead);
  }
  constexpr std::size_t kUnknown = std::numeric_limits<std::size_t>::max(), kStop = kUnknown - 1;
  struct Piece {
    std::size_t first_slot = 0;  // the lines before it
    std::size_t filled = 0;      // its events (blank lines fill none)
    std::exception_ptr error;
  };
  std::vector<Piece> pieces(n);
  // lines_before[k]: the lines of the pieces before piece k, once counted (kStop: not to be decoded).
  std::vector<std::atomic<std::size_t>> lines_before(n + 1);
  for (auto& l : lines_before) l.store(kUnknown, std::memory_order_relaxed);
  lines_before[0].store(0, std::memory_order_relaxed);
  const auto publish = [&](std::size_t k, std::size_t value) {
    lines_before[k].store(value, std::memory_order_release);
    lines_before[k].notify_all();
  };
  const auto lines_until = [&](std::size_t k) {
    std::size_t v = lines_before[k].load(std::memory_order_acquire);
    for (; v == kUnknown; v = lines_before[k].load(std::memory_order_acquire)) lines_before[k].wait(kUnknown, std::memory_order_acquire);
    return v;
  };
  std::atomic<std::size_t> next{0}, failed{n};  // failed: the first piece found malformed
  std::atomic<bool> whole_needed{false};        // a piece ends inside a line, or more lines than slots
  const auto work = [&] {
    std::string buffer;  // this thread's, reused from piece to piece
    for (std::size_t k; (k = next.fetch_add(1)) < n;) {
      Piece& piece = pieces[k];
      if (lines_before[k].load(std::memory_order_acquire) == kStop) {  // a piece before cannot be decoded: nor this one
        publish(k + 1, kStop);
        continue;
      }
      std::string_view text;
      std::size_t lines = 0;
      bool usable = true;
      try {
        text = payload.text(k, buffer);
        if (k + 1 < n && !text.empty() && text.back() != '\n') {
          whole_needed.store(true);
          usable = false;
        } else {
          lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                  (!text.empty() && text.back() != '\n' ? 1 : 0);
        }
      } catch (...) {
        piece.error = std::current_exception();
        usable = false;
      }
      const std::size_t first = lines_until(k);  // published by the piece before, whatever became of it
      if (first == kStop || !usable || first + lines > ahead.size()) {
        if (usable && first != kStop) whole_needed.store(true);  // more lines than slots
        publish(k + 1, kStop);
        continue;
      }
      publish(k + 1, first + lines);
      piece.first_slot = first;
      if (k > failed.load()) continue;  // past a malformed line: not needed
      try {
        ahead.wait_for(first + lines);  // throws what making them threw
        piece.filled = decode_range(text, 1 + static_cast<int>(first), ahead.data(), first, event_of, finish);
      } catch (...) {
        piece.error = std::current_exception();
        note_failed(failed, k);
      }
    }
  };
  on_two_threads(work);
  if (whole_needed.load()) return std::nullopt;
  for (const Piece& p : pieces)
    if (p.error) std::rethrow_exception(p.error);  // the first in the payload
  std::vector<Slot> out = ahead.take();  // every piece decoded: none failed, none stopped
  close_gaps(out, pieces);
  return out;
}

}  // namespace

std::size_t snapshot_parts(std::size_t events) { return events < kSplitAt ? 1 : 2; }

namespace {

// encode_snapshot_part of the `count` events `at(i)` gives.
template <typename At>
void encode_part(std::size_t count, At at, std::size_t part, std::size_t parts,
                 const std::function<void(std::string_view)>& piece, std::size_t piece_bytes) {
  if (part >= parts) throw std::invalid_argument("snapshot payload: part " + std::to_string(part) + " of " + std::to_string(parts));
  const std::size_t begin = count * part / parts, end = count * (part + 1) / parts;
  boost::json::serializer sr;
  LinePieces pieces(piece_bytes, piece);
  for (std::size_t i = begin; i < end; ++i) {
    encode_one(at(i), sr, pieces.text());
    pieces.line_done();
  }
  pieces.finish();
}

}  // namespace

void encode_snapshot_part(const std::vector<Event>& events, std::size_t part, std::size_t parts,
                          const std::function<void(std::string_view)>& piece, std::size_t piece_bytes) {
  encode_part(events.size(), [&events](std::size_t i) -> const Event& { return events[i]; }, part, parts, piece, piece_bytes);
}

void encode_snapshot_part_by_pointer(const std::vector<const Event*>& events, std::size_t part, std::size_t parts,
                                     const std::function<void(std::string_view)>& piece, std::size_t piece_bytes) {
  encode_part(events.size(), [&events](std::size_t i) -> const Event& { return *events[i]; }, part, parts, piece, piece_bytes);
}

std::string encode_snapshot(const std::vector<Event>& events) {
  boost::json::serializer sr;
  std::string out;
  for (const Event& e : events) encode_one(e, sr, out);
  return out;
}

std::vector<Event> decode_snapshot(const std::string& payload) {
  return decode_slots<Event>(payload, [](Event& e) -> Event& { return e; }, [](Event&) {});
}

std::vector<ProgrammeEntry> decode_snapshot_entries(const std::string& payload, std::vector<ProgrammeEntry> slots,
                                                    const std::function<void(ProgrammeEntry&)>& made) {
  const auto event_of = [](ProgrammeEntry& p) -> Event& { return p.event; };
  if (!made) return decode_slots<ProgrammeEntry>(payload, event_of, [](ProgrammeEntry&) {}, std::move(slots));
  return decode_slots<ProgrammeEntry>(payload, event_of, made, std::move(slots));
}

std::vector<ProgrammeEntry> decode_snapshot_entries(const std::string& payload, SlotsMadeAhead<ProgrammeEntry>& slots,
                                                    const std::function<void(ProgrammeEntry&)>& made) {
  const auto event_of = [](ProgrammeEntry& p) -> Event& { return p.event; };
  if (!made) return decode_slots<ProgrammeEntry>(payload, event_of, [](ProgrammeEntry&) {}, {}, &slots);
  return decode_slots<ProgrammeEntry>(payload, event_of, made, {}, &slots);
}

std::optional<std::vector<ProgrammeEntry>> decode_snapshot_entries(const PayloadPieces& payload,
                                                                   SlotsMadeAhead<ProgrammeEntry>& slots,
                                                                   const std::function<void(ProgrammeEntry&)>& made) {
  const auto event_of = [](ProgrammeEntry& p) -> Event& { return p.event; };
  if (!made) return decode_pieces<ProgrammeEntry>(payload, event_of, [](ProgrammeEntry&) {}, slots);
  return decode_pieces<ProgrammeEntry>(payload, event_of, made, slots);
}

}  // namespace marquee
