#pragma once
// No-show figures for the insights and the overbooking risk for an event's
// settings (issue 21, no-show management; docs/registrations.md "No-shows").
// Read-only: aggregates from NoShowStore, no person named.
#include <optional>
#include <string>
#include <vector>

#include "app/insights.hpp"
#include "core/no_shows.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Events summed per category ("(none)" when an event has none).
struct CategoryNoShows {
  std::string category;
  NoShowFigures figures;  ///< figures.events: how many events
};

/// The risk of an event's overbooking with where its show rate comes from.
struct EventRisk : OverbookingRisk {
  std::string scope;  ///< "category 'Workshop'" or "all events"
};

/// How far back the risk's history reaches (seconds): a year.
inline constexpr UnixSeconds kRiskHistorySeconds = 365 * 24 * 3600;

class NoShowReport {
 public:
  NoShowReport(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// Events that started in [from, to) and by now (UTC seconds), by start
  /// (NoShowStore::no_show_figures). Throws StoreError.
  std::vector<EventNoShows> events(UnixSeconds from, UnixSeconds to) const;
  /// The same for the local days of `range` in `zone` (IANA; "" = UTC),
  /// both ends included. Throws StoreError, std::runtime_error for an unknown zone.
  std::vector<EventNoShows> events(const InsightRange& range, const std::string& zone) const;
  /// `events` summed by category, most places held at the start first (then by name).
  static std::vector<CategoryNoShows> categories(const std::vector<EventNoShows>& events);

  /// The risk of event `key`'s place limit (capacity plus its overbooking)
  /// for its room, from the show rate of the events that started in the
  /// last year and at least a day ago, with at least one attendee checked
  /// in (events without door check-in say nothing): those of its category when they held at least
  /// kMinRiskHistory places at their start, else all of them. nullopt for an
  /// unknown event, one without a capacity, or too little history. Throws StoreError.
  std::optional<EventRisk> risk(const std::string& key) const;

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
