// core/placement_selection: what shows at an instant and one viewer's pick.
#include <gtest/gtest.h>

#include <map>

#include "core/placement_selection.hpp"

namespace marquee {
namespace {

constexpr UnixSeconds kNow = 1795000000;

ProgrammeEntry entry(const std::string& key, const std::string& category, UnixSeconds start) {
  ProgrammeEntry p;
  p.event.key = key;
  p.event.title = key;
  p.event.category = category;
  p.event.starts_at = start;
  p.event.ends_at = start + 3600;
  p.event.status = EventStatus::published;
  return p;
}

Placement placed(std::int64_t id, const std::string& key, PlacementSlot slot, int share = 100, int priority = 5) {
  Placement p;
  p.id = id;
  p.partner_id = 1;
  p.event_key = key;
  p.slot = slot;
  p.starts_at = kNow - 100;
  p.ends_at = kNow + 1000;
  p.state = PlacementState::scheduled;
  p.share_of_voice = share;
  p.priority = priority;
  return p;
}

TEST(PlacementSelection, OnlyScheduledPlacementsOfPublishedEventsInTheirWindowShow) {
  const Programme programme({entry("a", "Music", kNow + 500), entry("b", "Music", kNow + 5000)}, 1);
  PlacementSet set;
  set.partner_names[1] = "Brewery";
  set.placements = {placed(1, "a", PlacementSlot::featured), placed(2, "b", PlacementSlot::promoted),
                    placed(3, "gone", PlacementSlot::promoted), placed(4, "b", PlacementSlot::category_top)};
  set.placements.push_back(placed(5, "b", PlacementSlot::promoted));
  set.placements.back().state = PlacementState::paused;
  const ActivePlacements now = active_placements(set, programme, kNow);
  ASSERT_EQ(now.featured.size(), 1u);
  EXPECT_EQ(now.featured[0].partner, "Brewery");
  ASSERT_EQ(now.promoted.size(), 1u);
  EXPECT_EQ(now.promoted[0].placement.id, 2);
  EXPECT_EQ(now.category_top.size(), 1u);
  EXPECT_EQ(now.signature, "f1;p2;c4");
  EXPECT_EQ(now.valid_until, kNow + 1000);  // the windows close before either event ends
  // Event "a" ends at kNow + 4100 (after the window): at the window's end nothing shows.
  EXPECT_TRUE(active_placements(set, programme, kNow + 1000).empty());
  EXPECT_EQ(active_placements(set, programme, kNow - 200).valid_until, kNow - 100);
}

TEST(PlacementSelection, TheFeaturedHeroShowsAFewAndSharesFollowTheShareOfVoice) {
  std::vector<ProgrammeEntry> entries;
  for (const char* k : {"a", "b", "c", "d", "e"}) entries.push_back(entry(k, "Music", kNow + 5000));
  const Programme programme(std::move(entries), 1);
  PlacementSet set;
  set.placements = {placed(1, "a", PlacementSlot::featured, 70), placed(2, "b", PlacementSlot::featured, 30),
                    placed(3, "c", PlacementSlot::promoted, 50), placed(4, "d", PlacementSlot::promoted, 25),
                    placed(5, "e", PlacementSlot::promoted, 25)};
  const ActivePlacements active = active_placements(set, programme, kNow);
  std::map<std::int64_t, int> first_featured, first_promoted;
  const int viewers = 20000;
  for (int v = 0; v < viewers; ++v) {
    const PlacementPick pick = pick_for_page(active, "2026-11-19|visitor-" + std::to_string(v));
    ASSERT_EQ(pick.featured.size(), 2u);
    ASSERT_EQ(pick.promoted.size(), kPromotedShown);
    ++first_featured[pick.featured[0]->placement.id];
    ++first_promoted[pick.promoted[0]->placement.id];
  }
  EXPECT_NEAR(first_featured[1] / double(viewers), 0.70, 0.05);
  EXPECT_NEAR(first_promoted[3] / double(viewers), 0.50, 0.05);
  EXPECT_NEAR(first_promoted[4] / double(viewers), 0.25, 0.05);
  // One viewer sees the same pick all day.
  EXPECT_EQ(pick_for_page(active, "2026-11-19|x").signature, pick_for_page(active, "2026-11-19|x").signature);
}

TEST(PlacementSelection, SearchResultsPromoteOnlyMatchingEventsAndTheCategoryTopComesFirst) {
  const Programme programme({entry("a", "Music", kNow + 5000), entry("b", "Music", kNow + 5000),
                             entry("c", "Theatre", kNow + 5000)},
                            1);
  PlacementSet set;
  set.placements = {placed(1, "a", PlacementSlot::promoted), placed(2, "c", PlacementSlot::promoted),
                    placed(3, "b", PlacementSlot::category_top), placed(4, "b", PlacementSlot::promoted)};
  const ActivePlacements active = active_placements(set, programme, kNow);
  const PlacementPick music = pick_for_results(active, {"a", "b"}, "Music", "v");
  ASSERT_EQ(music.promoted.size(), 2u);  // category_top b, then promoted a (b not twice)
  EXPECT_EQ(music.promoted[0]->placement.id, 3);
  EXPECT_EQ(music.promoted[1]->placement.id, 1);
  const PlacementPick text = pick_for_results(active, {"c"}, "", "v");
  ASSERT_EQ(text.promoted.size(), 1u);
  EXPECT_EQ(text.promoted[0]->placement.id, 2);
  EXPECT_TRUE(pick_for_results(active, {}, "Music", "v").promoted.empty());
}

TEST(PlacementSelection, ConflictsAreMorePlacementsAtOnceThanTheSlotShows) {
  auto at = [](std::int64_t id, PlacementSlot slot, UnixSeconds from, UnixSeconds to, const std::string& key = "a",
               PlacementState state = PlacementState::scheduled) {
    Placement p = placed(id, key, slot);
    p.starts_at = from;
    p.ends_at = to;
    p.state = state;
    return p;
  };
  const std::vector<Placement> ps = {
      at(1, PlacementSlot::promoted, 0, 100), at(2, PlacementSlot::promoted, 50, 150),
      at(3, PlacementSlot::promoted, 90, 200),                                      // 1, 2, 3 overlap from 90: 3 > 2
      at(4, PlacementSlot::promoted, 95, 120, "a", PlacementState::paused),         // paused: takes no place
      at(5, PlacementSlot::featured, 0, 100), at(6, PlacementSlot::featured, 0, 100),  // 2 ≤ 3: no conflict
      at(7, PlacementSlot::category_top, 0, 100, "a"), at(8, PlacementSlot::category_top, 50, 60, "b"),  // other categories
      at(9, PlacementSlot::category_top, 10, 20, "c"),  // same category as 7 ("Music")
  };
  const auto conflicts = find_slot_conflicts(ps, {{"a", "Music"}, {"b", "Theatre"}, {"c", "Music"}});
  ASSERT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(conflicts[0].slot, PlacementSlot::category_top);
  EXPECT_EQ(conflicts[0].category, "Music");
  EXPECT_EQ(conflicts[0].starts_at, 10);
  EXPECT_EQ(conflicts[0].members, (std::vector<std::int64_t>{7, 9}));
  EXPECT_EQ(conflicts[1].slot, PlacementSlot::promoted);
  EXPECT_EQ(conflicts[1].starts_at, 90);
  EXPECT_EQ(conflicts[1].members, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(conflicts[1].shown, kPromotedShown);
}

}  // namespace
}  // namespace marquee
