#pragma once
// Which placements show, decided from in-memory data on the read path
// (issue 17): the placements that show at an instant against the programme
// being served, the instant that answer may next change, and one viewer's
// pick per slot (core/placement.hpp rotate). No I/O.
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/placement.hpp"
#include "core/programme.hpp"

namespace marquee {

/// How many placements each slot shows to one viewer at a time.
inline constexpr std::size_t kFeaturedShown = 3;      ///< the programme page's hero
inline constexpr std::size_t kPromotedShown = 2;      ///< the first positions of the list or of search results
inline constexpr std::size_t kCategoryTopShown = 1;   ///< the first place of a category's view

/// The placements the read path may show (states scheduled, active, paused)
/// with their partners' names, as loaded from the store at `version`.
struct PlacementSet {
  std::int64_t version = 0;
  std::vector<Placement> placements;
  std::map<std::int64_t, std::string> partner_names;  ///< by partner id
};

/// A placement that shows, with what the pages need.
struct ShowingPlacement {
  Placement placement;
  std::string partner;                    ///< the partner's name, shown with the "Promoted" label
  const ProgrammeEntry* entry = nullptr;  ///< its event in the programme the answer was made for
};

/// The placements that show at one instant, per slot, by id.
struct ActivePlacements {
  std::vector<ShowingPlacement> featured, promoted, category_top;
  /// The first instant after `now` at which the answer may differ (a window
  /// opens or closes, an event ends); max() when nothing will change.
  UnixSeconds valid_until = std::numeric_limits<UnixSeconds>::max();
  /// The placement ids per slot, e.g. "f3,7;p2;c9": equal signatures, equal answers.
  std::string signature;
  bool empty() const { return featured.empty() && promoted.empty() && category_top.empty(); }
};

/// The placements of `set` that show at `now` (core why_not_showing against
/// the event as `programme` publishes it: an event not in the programme, or
/// cancelled, or over, never shows). `programme` must outlive the result.
ActivePlacements active_placements(const PlacementSet& set, const Programme& programme, UnixSeconds now);

/// One viewer's pick for the programme page: up to kFeaturedShown featured
/// and kPromotedShown promoted placements in rotate() order for `viewer_key`.
struct PlacementPick {
  std::vector<const ShowingPlacement*> featured, promoted;
  /// The picked ids, e.g. "f3,7;p2": the page variant to render or reuse.
  std::string signature;
};
PlacementPick pick_for_page(const ActivePlacements& active, std::string_view viewer_key);

/// One viewer's pick for search results, all in `promoted` in display
/// order: when the search filters one `category`, first the category_top
/// placement (up to kCategoryTopShown) of a matching event in it; then
/// promoted placements whose event is among the `matching` keys (up to
/// kPromotedShown more, an event at most once).
PlacementPick pick_for_results(const ActivePlacements& active, const std::vector<std::string>& matching,
                               const std::string& category, std::string_view viewer_key);

/// More placements competing for one slot at one time than it shows: from
/// `starts_at` on, `members` (ids, ascending) overlap, and the slot shows
/// `shown` at a time, so they rotate (priority first, then share of voice).
struct SlotConflict {
  PlacementSlot slot = PlacementSlot::promoted;
  std::string category;  ///< category_top: the category competed for
  UnixSeconds starts_at = 0;
  std::vector<std::int64_t> members;
  std::size_t shown = 0;
};

/// The conflicts among `placements` that are paid, scheduled or active
/// (paused, draft and finished ones take no place), per slot — and for
/// category_top per category (`category_of` gives an event key's category,
/// "" when unknown). One conflict per distinct set of members, earliest first.
std::vector<SlotConflict> find_slot_conflicts(const std::vector<Placement>& placements,
                                              const std::map<std::string, std::string>& category_of);

}  // namespace marquee
