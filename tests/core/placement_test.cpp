#include <gtest/gtest.h>

#include <map>

#include "core/placement.hpp"
#include "core/time_zone.hpp"

using namespace marquee;

namespace {

PlacementState run(std::initializer_list<PlacementMove> moves, PlacementState from = PlacementState::draft) {
  for (auto m : moves) from = apply_move(from, m).state;
  return from;
}

Placement placement(std::int64_t id, int priority, int share, UnixSeconds from = 0, UnixSeconds to = 4000000000) {
  Placement p;
  p.id = id;
  p.priority = priority;
  p.share_of_voice = share;
  p.starts_at = from;
  p.ends_at = to;
  p.state = PlacementState::scheduled;
  return p;
}

}  // namespace

TEST(Placement, NamesRoundTrip) {
  for (auto s : {PlacementSlot::featured, PlacementSlot::promoted, PlacementSlot::category_top})
    EXPECT_EQ(parse_placement_slot(to_string(s)), s);
  for (auto s : {PlacementState::draft, PlacementState::awaiting_payment, PlacementState::paid, PlacementState::scheduled,
                 PlacementState::active, PlacementState::paused, PlacementState::ended, PlacementState::cancelled,
                 PlacementState::refunded})
    EXPECT_EQ(parse_placement_state(to_string(s)), s);
  EXPECT_FALSE(parse_placement_slot("hero"));
  EXPECT_FALSE(parse_placement_state("Active"));
}

TEST(Placement, TheLifeCycle) {
  using M = PlacementMove;
  EXPECT_EQ(run({M::request_payment, M::payment_succeeded, M::approve}), PlacementState::scheduled);
  EXPECT_EQ(run({M::pause}, PlacementState::active), PlacementState::paused);
  EXPECT_EQ(run({M::pause, M::resume}, PlacementState::active), PlacementState::scheduled);
  EXPECT_EQ(run({M::end}, PlacementState::paused), PlacementState::ended);
  EXPECT_EQ(run({M::request_payment, M::payment_failed}), PlacementState::draft);
  EXPECT_EQ(run({M::cancel}, PlacementState::paid), PlacementState::cancelled);
  EXPECT_EQ(run({M::refund}, PlacementState::ended), PlacementState::refunded);
  const auto r = apply_move(PlacementState::draft, M::approve);
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.state, PlacementState::draft);
  EXPECT_NE(r.reason.find("paid"), std::string::npos);
  EXPECT_FALSE(apply_move(PlacementState::ended, M::cancel).allowed);
}

TEST(Placement, PaymentEventsLateTwiceOrOutOfOrderEndRight) {
  using M = PlacementMove;
  // The same webhook twice.
  EXPECT_EQ(run({M::request_payment, M::payment_succeeded, M::payment_succeeded}), PlacementState::paid);
  const auto again = apply_move(PlacementState::paid, M::payment_succeeded);
  EXPECT_TRUE(again.allowed);
  EXPECT_FALSE(again.changed);
  // A failure reported after the success changes nothing; a late success after approval neither.
  EXPECT_EQ(run({M::request_payment, M::payment_succeeded, M::payment_failed}), PlacementState::paid);
  EXPECT_EQ(run({M::payment_succeeded}, PlacementState::active), PlacementState::active);
  // The refund arrives before the payment: refunded stays.
  EXPECT_EQ(run({M::request_payment, M::refund, M::payment_succeeded}), PlacementState::refunded);
  EXPECT_EQ(run({M::refund, M::refund}, PlacementState::active), PlacementState::refunded);
}

TEST(Placement, TheWindowDecidesAtTheBoundarySecond) {
  Placement p = placement(1, 5, 100, 1000, 2000);
  EXPECT_EQ(effective_state(p, 999), PlacementState::scheduled);
  EXPECT_EQ(effective_state(p, 1000), PlacementState::active);
  EXPECT_EQ(effective_state(p, 1999), PlacementState::active);
  EXPECT_EQ(effective_state(p, 2000), PlacementState::ended);
  p.state = PlacementState::paused;
  EXPECT_EQ(effective_state(p, 1500), PlacementState::paused);
}

TEST(Placement, AWindowAcrossTheSpringDstChange) {
  // 01:30 to 03:30 in Berlin on 29 March 2026: 02:00 does not exist, so the window is one hour long.
  Placement p = placement(1, 5, 100, to_utc(*parse_datetime_text("2026-03-29 01:30", DateOrder::ymd), "Europe/Berlin"),
                          to_utc(*parse_datetime_text("2026-03-29 03:30", DateOrder::ymd), "Europe/Berlin"));
  EXPECT_EQ(p.ends_at - p.starts_at, 3600);
  EXPECT_EQ(effective_state(p, p.ends_at - 1), PlacementState::active);
  EXPECT_EQ(effective_state(p, p.ends_at), PlacementState::ended);
}

TEST(Placement, NeverHidesTheEventsRealState) {
  Placement p = placement(1, 5, 100, 0, 5000);
  Event e;
  e.status = EventStatus::published;
  e.starts_at = 4000;
  e.ends_at = 4500;
  EXPECT_EQ(why_not_showing(p, e, 100), std::nullopt);
  EXPECT_EQ(why_not_showing(p, e, 4500), "its event is over");
  e.status = EventStatus::cancelled;
  EXPECT_EQ(why_not_showing(p, e, 100), "its event is cancelled");
  e.status = EventStatus::published;
  p.state = PlacementState::paid;
  EXPECT_EQ(why_not_showing(p, e, 100), "it is paid");
  p.state = PlacementState::scheduled;
  p.starts_at = 200;
  EXPECT_EQ(why_not_showing(p, e, 100), "its window has not opened yet");
}

TEST(Placement, RotationFollowsPriorityThenShareOfVoice) {
  const Placement a = placement(1, 5, 60), b = placement(2, 5, 30), c = placement(3, 5, 10), top = placement(4, 1, 1);
  const std::vector<const Placement*> all{&a, &b, &c, &top};
  std::map<std::int64_t, int> first;
  constexpr int kViewers = 20000;
  for (int i = 0; i < kViewers; ++i) {
    const auto order = rotate(all, 3, "2026-12-01|visitor-" + std::to_string(i));
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[0]->id, 4);  // priority 1 always comes first
    ++first[order[1]->id];
  }
  // Among the priority-5 placements, each comes first in proportion to its share (±5 % of the total).
  EXPECT_NEAR(first[1] / double(kViewers), 0.60, 0.05);
  EXPECT_NEAR(first[2] / double(kViewers), 0.30, 0.05);
  EXPECT_NEAR(first[3] / double(kViewers), 0.10, 0.05);
}

TEST(Placement, RotationIsStableForOneViewerAndDeterministic) {
  const Placement a = placement(1, 5, 50), b = placement(2, 5, 50);
  const std::vector<const Placement*> both{&a, &b};
  const auto once = rotate(both, 2, "day|v1");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(rotate(both, 2, "day|v1"), once);
  bool differs = false;  // another viewer (or another day) may see another order
  for (int i = 0; i < 50 && !differs; ++i) differs = rotate(both, 2, "day|v" + std::to_string(i)) != once;
  EXPECT_TRUE(differs);
  EXPECT_TRUE(rotate({}, 3, "x").empty());
  EXPECT_EQ(rotate(both, 1, "day|v1").size(), 1u);
}
