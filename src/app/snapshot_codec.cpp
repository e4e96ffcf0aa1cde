#include "app/snapshot_codec.hpp"

#include <algorithm>
#include <future>
#include <iterator>
#include <new>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "app/snapshot_line_parser.hpp"
#include "core/question.hpp"

namespace marquee {
namespace {

// Large programmes are encoded and decoded in two halves on two threads; the
// bytes and the events are the same as from one pass.
constexpr std::size_t kSplitAt = 4000;

/// Appends one event's line; its JSON lives in `arena` until the arena is released.
void encode_one(const Event& e, boost::json::monotonic_resource& arena, std::string& out) {
  boost::json::array tags(&arena);
  for (const auto& t : e.tags) tags.emplace_back(t);
  boost::json::object o(&arena);
  o.reserve(23);
  o["key"] = e.key;
  o["title"] = e.title;
  o["description"] = e.description;
  o["starts_at"] = e.starts_at;
  o["ends_at"] = e.ends_at;
  o["time_zone"] = e.time_zone;
  o["all_day"] = e.all_day;
  o["venue"] = e.venue;
  o["address"] = e.address;
  o["room"] = e.room;
  o["category"] = e.category;
  o["tags"] = std::move(tags);
  o["organizer"] = e.organizer;
  o["url"] = e.url;
  o["image_url"] = e.image_url;
  o["price"] = e.price;
  if (e.capacity) o["capacity"] = *e.capacity;
  else o["capacity"] = nullptr;
  o["status"] = to_string(e.status);
  o["registration"] = e.registration;
  o["waitlist"] = e.waitlist;
  if (e.retention_days) o["retention_days"] = *e.retention_days;
  else o["retention_days"] = nullptr;
  o["questions"] = format_questions(e.questions);
  out += boost::json::serialize(o);
  out.push_back('\n');
}

void encode_range(const std::vector<Event>& events, std::size_t begin, std::size_t end, std::string& out) {
  for (std::size_t chunk = begin; chunk < end; chunk += 256) {
    boost::json::monotonic_resource arena;  // no allocation per field; freed every 256 events
    for (std::size_t i = chunk; i < std::min(end, chunk + 256); ++i) encode_one(events[i], arena, out);
  }
}

/// Decodes the lines of `payload` into the events of out[at], out[at + 1], …
/// (default slots, one for each line at least; `event_of(slot)` is its
/// event) and returns how many it filled; `first_line` is the 1-based number
/// of its first line. Each event is parsed in its place: never moved.
template <typename Slot, typename EventOf>
std::size_t decode_range(std::string_view payload, int first_line, std::vector<Slot>& out, std::size_t at, EventOf event_of) {
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
    ++filled;
  }
  return filled;
}

/// A payload's events in default-made slots (see decode_range), a large one
/// in two halves on two threads, each half into its own slots at once (no
/// event moved from one vector into another).
template <typename Slot, typename EventOf>
std::vector<Slot> decode_slots(const std::string& payload, EventOf event_of, std::vector<Slot> out = {}) {
  const std::string_view all(payload);
  // The second half starts after the line end nearest the middle.
  const std::size_t middle = all.size() > kSplitAt * 200 ? all.find('\n', all.size() / 2) : std::string_view::npos;
  if (middle == std::string_view::npos) {
    out.resize(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')) + 1);  // a slot a line
    out.resize(decode_range(all, 1, out, 0, event_of));
    return out;
  }
  const std::string_view first = all.substr(0, middle + 1), rest = all.substr(middle + 1);
  const auto first_lines = static_cast<std::size_t>(std::count(first.begin(), first.end(), '\n'));
  const auto rest_lines = static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '\n')) + 1;
  out.resize(first_lines + rest_lines);
  std::size_t rest_filled = 0;
  auto later = std::async(std::launch::async, [&] {
    rest_filled = decode_range(rest, 1 + static_cast<int>(first_lines), out, first_lines, event_of);
  });
  std::size_t first_filled = 0;
  try {
    first_filled = decode_range(first, 1, out, 0, event_of);
  } catch (...) {
    later.wait();  // the earlier line's error is the one reported
    throw;
  }
  later.get();
  if (first_filled < first_lines)  // blank lines in the first half: close the gap
    std::move(out.begin() + static_cast<std::ptrdiff_t>(first_lines),
              out.begin() + static_cast<std::ptrdiff_t>(first_lines + rest_filled),
              out.begin() + static_cast<std::ptrdiff_t>(first_filled));
  out.resize(first_filled + rest_filled);
  return out;
}

}  // namespace

std::string encode_snapshot(const std::vector<Event>& events) {
  std::string out;
  if (events.size() < kSplitAt) {
    encode_range(events, 0, events.size(), out);
    return out;
  }
  const std::size_t half = events.size() / 2;
  std::string second;
  auto later = std::async(std::launch::async, [&] { encode_range(events, half, events.size(), second); });
  encode_range(events, 0, half, out);
  later.get();
  out += second;
  return out;
}

std::vector<Event> decode_snapshot(const std::string& payload) {
  return decode_slots<Event>(payload, [](Event& e) -> Event& { return e; });
}

std::vector<ProgrammeEntry> decode_snapshot_entries(const std::string& payload, std::vector<ProgrammeEntry> slots) {
  return decode_slots<ProgrammeEntry>(payload, [](ProgrammeEntry& p) -> Event& { return p.event; }, std::move(slots));
}

}  // namespace marquee
