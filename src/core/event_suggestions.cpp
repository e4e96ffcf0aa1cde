#include "core/event_suggestions.hpp"

#include <algorithm>
#include <cstdlib>

namespace marquee {

namespace {

constexpr UnixSeconds kWindow = 36 * 3600;  // a local day seen from any zone, plus long events
constexpr UnixSeconds kNoEndLength = 3600;

UnixSeconds end_of(const Event& e) { return e.ends_at > e.starts_at ? e.ends_at : e.starts_at + kNoEndLength; }

// The closest `limit` of `found` to `start`, then in programme order.
void keep_closest(std::vector<const ProgrammeEntry*>& found, UnixSeconds start, std::size_t limit) {
  std::stable_sort(found.begin(), found.end(), [&](const ProgrammeEntry* a, const ProgrammeEntry* b) {
    return std::llabs(a->event.starts_at - start) < std::llabs(b->event.starts_at - start);
  });
  if (found.size() > limit) found.resize(limit);
  std::sort(found.begin(), found.end());  // entries live in one vector in programme order
}

}  // namespace

EventSuggestions suggest_events(const Programme& programme, const ProgrammeEntry& entry, std::size_t limit) {
  EventSuggestions out;
  const auto& entries = programme.entries();
  const Event& e = entry.event;
  auto by_start = [](const ProgrammeEntry& x, UnixSeconds t) { return x.event.starts_at < t; };
  auto first = std::lower_bound(entries.begin(), entries.end(), e.starts_at - kWindow, by_start);
  auto last = std::lower_bound(first, entries.end(), e.starts_at + kWindow, by_start);
  for (auto it = first; it != last; ++it) {
    const ProgrammeEntry& o = *it;
    if (&o == &entry || o.event.status == EventStatus::cancelled) continue;
    if (!e.venue.empty() && o.event.venue == e.venue && o.local_date == entry.local_date) {
      out.same_venue.push_back(&o);
      continue;
    }
    if (e.all_day || o.event.all_day) continue;
    if (o.event.starts_at < end_of(e) && e.starts_at < end_of(o.event)) out.same_time.push_back(&o);
  }
  keep_closest(out.same_venue, e.starts_at, limit);
  keep_closest(out.same_time, e.starts_at, limit);
  return out;
}

}  // namespace marquee
