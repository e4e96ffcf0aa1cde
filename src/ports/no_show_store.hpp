#pragma once
// No-show figures in the store (issue 21, no-show management): per event
// that has started, its registrations by how they ended (core/no_shows.hpp).
// Aggregates only: no person is named, and the figures survive the
// retention purge (erased registrations keep their state and history).
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/no_shows.hpp"

namespace marquee {

/// One event's figures with what the insights show beside them.
struct EventNoShows {
  std::string event_key, title, category, venue;
  UnixSeconds starts_at = 0;  ///< UTC seconds
  NoShowFigures figures;      ///< figures.events == 1
};

class NoShowStore {
 public:
  virtual ~NoShowStore() = default;
  /// Every event not cancelled that started in [from, to) and by `now` (UTC
  /// seconds) with at least one registration that held a confirmed place, by
  /// start then key. A registration counts as checked in when its state is
  /// checked_in or it entered at any check-in list; as released when it was
  /// cancelled with the history "not reconfirmed"; as a no-show when it is
  /// still confirmed or its place was released at the door. Throws StoreError.
  virtual std::vector<EventNoShows> no_show_figures(UnixSeconds from, UnixSeconds to, UnixSeconds now) = 0;
};

}  // namespace marquee
