#pragma once
// Other events to suggest on an event's page (issue 20): "also at this
// venue" that day and "at the same time" elsewhere, from the immutable
// programme. No I/O.
#include <cstddef>
#include <vector>

#include "core/programme.hpp"

namespace marquee {

struct EventSuggestions {
  /// Same venue (non-empty, compared exactly), same local start date, nearest
  /// start first; shown in programme order.
  std::vector<const ProgrammeEntry*> same_venue;
  /// Timed events that overlap `entry` in time ([starts_at, ends_at) of
  /// both; an event without an end counts as one hour long), not already
  /// in `same_venue`, the closest start first; shown in programme order.
  std::vector<const ProgrammeEntry*> same_time;
};

/// At most `limit` of each kind for `entry`, an entry of `programme`.
/// Leaves out `entry` itself, cancelled events and, for "at the same time",
/// all-day events (and everything, when `entry` is all-day). Looks only at
/// events starting within a day of `entry`'s start (the programme is sorted
/// by start), so a page of a 100,000-event programme stays cheap to render.
EventSuggestions suggest_events(const Programme& programme, const ProgrammeEntry& entry, std::size_t limit);

}  // namespace marquee
