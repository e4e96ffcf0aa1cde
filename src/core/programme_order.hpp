#pragma once
// The programme's order: events by start, then by key. Snapshots are
// written in it (docs/snapshot-format.md) and servers list events in it.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/event_blocks.hpp"

namespace marquee {

/// Where an event stands in the programme: its start (UTC seconds), then
/// its key in byte order (as std::string's operator< orders keys). The
/// key's first 8 bytes, big-endian and zero-padded, decide most ties
/// without reading the key itself; `key` views the event's key, so the key
/// is valid while the event is neither changed nor moved.
struct ProgrammeOrderKey {
  UnixSeconds starts_at = 0;
  std::uint64_t key_prefix = 0;
  std::string_view key;

  friend bool operator<(const ProgrammeOrderKey& a, const ProgrammeOrderKey& b) {
    if (a.starts_at != b.starts_at) return a.starts_at < b.starts_at;
    if (a.key_prefix != b.key_prefix) return a.key_prefix < b.key_prefix;
    return a.key < b.key;
  }
};

/// `e`'s ProgrammeOrderKey (a view of e.key).
inline ProgrammeOrderKey programme_order_key(const Event& e) {
  unsigned char first[8] = {};
  std::memcpy(first, e.key.data(), e.key.size() < 8 ? e.key.size() : 8);
  std::uint64_t prefix = 0;
  for (const unsigned char byte : first) prefix = prefix << 8 | byte;
  return ProgrammeOrderKey{e.starts_at, prefix, e.key};
}

/// `events` in the programme's order (sorted_by_key on
/// programme_order_key: each event moved once at most; events already in
/// order given back untouched). Equal start and key, which a programme
/// never has, in an unspecified order.
std::vector<Event> in_programme_order(std::vector<Event> events);

/// The events of `events` in the programme's order, as pointers into it
/// (valid while it lives): sorted by programme_order_key as compact keys
/// beside the pointers, none of the events moved (at 100,000 events moving
/// them into order was 30 ms on one thread). Events already in order are
/// found so by comparing neighbours, without the keys' vector. Equal start
/// and key, which a programme never has, in an unspecified order.
std::vector<const Event*> programme_order_of(const EventBlocks& events);

}  // namespace marquee
