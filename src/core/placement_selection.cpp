#include "core/placement_selection.hpp"

#include <algorithm>
#include <set>

namespace marquee {
namespace {

void note_boundary(UnixSeconds& until, UnixSeconds at, UnixSeconds now) {
  if (at > now) until = std::min(until, at);
}

std::string id_list(char tag, const std::vector<const ShowingPlacement*>& picked) {
  std::string out(1, tag);
  for (std::size_t i = 0; i < picked.size(); ++i) out += (i ? "," : "") + std::to_string(picked[i]->placement.id);
  return out;
}

// rotate() over showing placements; returns them in its order.
std::vector<const ShowingPlacement*> rotate_showing(const std::vector<const ShowingPlacement*>& candidates,
                                                    std::size_t count, std::string_view viewer_key) {
  std::vector<const Placement*> ps;
  ps.reserve(candidates.size());
  for (const auto* s : candidates) ps.push_back(&s->placement);
  std::vector<const ShowingPlacement*> out;
  for (const Placement* p : rotate(ps, count, viewer_key))
    for (const auto* s : candidates)  // a few at most
      if (&s->placement == p) out.push_back(s);
  return out;
}

std::vector<const ShowingPlacement*> pointers(const std::vector<ShowingPlacement>& v) {
  std::vector<const ShowingPlacement*> out;
  for (const auto& s : v) out.push_back(&s);
  return out;
}

}  // namespace

ActivePlacements active_placements(const PlacementSet& set, const Programme& programme, UnixSeconds now) {
  ActivePlacements out;
  for (const Placement& p : set.placements) {
    if (p.state != PlacementState::scheduled && p.state != PlacementState::active) continue;
    const ProgrammeEntry* entry = programme.find(p.event_key);
    if (!entry) continue;  // not published: nothing to show, nothing will change until the programme does
    const Event& e = entry->event;
    const UnixSeconds event_end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at;
    note_boundary(out.valid_until, p.starts_at, now);
    note_boundary(out.valid_until, p.ends_at, now);
    note_boundary(out.valid_until, event_end, now);
    if (why_not_showing(p, e, now)) continue;
    auto it = set.partner_names.find(p.partner_id);
    ShowingPlacement s{p, it == set.partner_names.end() ? std::string() : it->second, entry};
    switch (p.slot) {
      case PlacementSlot::featured: out.featured.push_back(std::move(s)); break;
      case PlacementSlot::promoted: out.promoted.push_back(std::move(s)); break;
      case PlacementSlot::category_top: out.category_top.push_back(std::move(s)); break;
    }
  }
  auto by_id = [](const ShowingPlacement& a, const ShowingPlacement& b) { return a.placement.id < b.placement.id; };
  for (auto* v : {&out.featured, &out.promoted, &out.category_top}) std::sort(v->begin(), v->end(), by_id);
  out.signature = id_list('f', pointers(out.featured)) + ";" + id_list('p', pointers(out.promoted)) + ";" +
                  id_list('c', pointers(out.category_top));
  return out;
}

PlacementPick pick_for_page(const ActivePlacements& active, std::string_view viewer_key) {
  PlacementPick out;
  out.featured = rotate_showing(pointers(active.featured), kFeaturedShown, viewer_key);
  out.promoted = rotate_showing(pointers(active.promoted), kPromotedShown, viewer_key);
  out.signature = id_list('f', out.featured) + ";" + id_list('p', out.promoted);
  return out;
}

PlacementPick pick_for_results(const ActivePlacements& active, const std::vector<std::string>& matching,
                               const std::string& category, std::string_view viewer_key) {
  PlacementPick out;
  const std::set<std::string> keys(matching.begin(), matching.end());
  std::vector<const ShowingPlacement*> top, promoted;
  if (!category.empty())
    for (const auto& s : active.category_top)
      if (s.entry->event.category == category && keys.count(s.placement.event_key)) top.push_back(&s);
  for (const auto& s : active.promoted)
    if (keys.count(s.placement.event_key)) promoted.push_back(&s);
  out.promoted = rotate_showing(top, kCategoryTopShown, viewer_key);
  // The same event is not promoted twice in one list.
  std::set<std::string> shown;
  for (const auto* s : out.promoted) shown.insert(s->placement.event_key);
  std::size_t taken = 0;
  for (const auto* s : rotate_showing(promoted, promoted.size(), viewer_key)) {
    if (taken == kPromotedShown) break;
    if (!shown.insert(s->placement.event_key).second) continue;
    out.promoted.push_back(s);
    ++taken;
  }
  out.signature = id_list('p', out.promoted);
  return out;
}

std::vector<SlotConflict> find_slot_conflicts(const std::vector<Placement>& placements,
                                              const std::map<std::string, std::string>& category_of) {
  // Placements that hold a place, grouped by what they compete for.
  std::map<std::pair<PlacementSlot, std::string>, std::vector<const Placement*>> groups;
  for (const auto& p : placements) {
    if (p.state != PlacementState::paid && p.state != PlacementState::scheduled && p.state != PlacementState::active)
      continue;
    std::string category;
    if (p.slot == PlacementSlot::category_top) {
      auto it = category_of.find(p.event_key);
      category = it == category_of.end() ? "" : it->second;
    }
    groups[{p.slot, category}].push_back(&p);
  }
  std::vector<SlotConflict> out;
  std::set<std::pair<PlacementSlot, std::vector<std::int64_t>>> seen;
  for (const auto& [key, members] : groups) {
    const std::size_t shown = key.first == PlacementSlot::featured ? kFeaturedShown
                              : key.first == PlacementSlot::promoted ? kPromotedShown
                                                                      : kCategoryTopShown;
    // The set of placements open at each start instant (the most at once happen at some start).
    std::vector<UnixSeconds> starts;
    for (const auto* p : members) starts.push_back(p->starts_at);
    std::sort(starts.begin(), starts.end());
    for (UnixSeconds t : starts) {
      std::vector<std::int64_t> open;
      for (const auto* p : members)
        if (p->starts_at <= t && t < p->ends_at) open.push_back(p->id);
      if (open.size() <= shown) continue;
      std::sort(open.begin(), open.end());
      if (!seen.insert({key.first, open}).second) continue;
      out.push_back(SlotConflict{key.first, key.second, t, open, shown});
    }
  }
  std::sort(out.begin(), out.end(), [](const SlotConflict& a, const SlotConflict& b) { return a.starts_at < b.starts_at; });
  return out;
}

}  // namespace marquee
