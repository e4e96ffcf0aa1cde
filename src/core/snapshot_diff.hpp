#pragma once
// Differences between two versions of the public programme: the changelog of
// a publish and the preview shown before one.
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

enum class ChangeKind { added, removed, changed };

std::string_view to_string(ChangeKind k);

struct EventChange {
  std::string event_key;
  ChangeKind kind = ChangeKind::changed;
  std::vector<std::string> fields;  ///< for `changed`: public field names that differ, in a fixed order
  friend bool operator==(const EventChange&, const EventChange&) = default;
};

/// Field-by-field comparison of the public fields (title, description,
/// starts_at, ends_at, time_zone, all_day, venue, address, room, category,
/// tags, organizer, url, image_url, price, capacity, status, registration,
/// waitlist, questions) of events matched by key. Ordered by key.
std::vector<EventChange> diff_programmes(const std::vector<Event>& before, const std::vector<Event>& after);

/// The events of the working state that belong in a snapshot: every status
/// but draft, sorted by key, with store bookkeeping (warnings, source,
/// created/updated, version) cleared so that equal programmes hash equally.
std::vector<Event> public_events(std::vector<Event> working);

}  // namespace marquee
