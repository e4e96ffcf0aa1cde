// Partner placements (issue 17) on SQLite and PostgreSQL: partners and
// placements with their history and audit, the life cycle under concurrent
// and repeated moves, the read path's board and flight windows at the
// boundary second (also across a DST change).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/placement_board.hpp"
#include "app/placements.hpp"
#include "app/programme_cache.hpp"
#include "core/placement_selection.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;  // 2026-11-19T…Z
constexpr UnixSeconds kDay = 86400;

Placement a_placement(std::int64_t partner, const std::string& key, PlacementSlot slot, UnixSeconds from,
                      UnixSeconds to) {
  Placement p;
  p.partner_id = partner;
  p.event_key = key;
  p.slot = slot;
  p.starts_at = from;
  p.ends_at = to;
  p.price_cents = 25000;
  return p;
}

}  // namespace

template <typename B>
using Placements = StoreTest<B>;
TYPED_TEST_SUITE(Placements, Backends, BackendNames);

TYPED_TEST(Placements, PartnersAndPlacementsAreCheckedStoredAndAudited) {
  ManualClock clock(kNow);
  this->store_->upsert_events({an_event("jazz").title("Harbour Jazz").at(kNow + 10 * kDay)}, kNow);
  PlacementService service(*this->store_, clock);

  auto bad_partner = service.save_partner(Partner{0, " ", "not-an-address", "", 0, 0}, "ops@example.org");
  ASSERT_EQ(bad_partner.errors.size(), 2u);
  EXPECT_EQ(bad_partner.errors[0].first, "name");
  EXPECT_EQ(bad_partner.errors[1].first, "contact_email");
  EXPECT_TRUE(this->store_->list_partners().empty());

  auto saved = service.save_partner(Partner{0, "  Harbour   Brewery ", "Ads@Brewery.example", "pays on time", 0, 0},
                                    "ops@example.org");
  ASSERT_TRUE(saved.errors.empty());
  auto partner = this->store_->find_partner(saved.id);
  ASSERT_TRUE(partner);
  EXPECT_EQ(partner->name, "Harbour Brewery");
  EXPECT_EQ(partner->contact_email, "ads@brewery.example");
  EXPECT_EQ(partner->created_at, kNow);

  // Unknown event, a window ending before it starts, a share out of range: nothing stored.
  Placement wrong = a_placement(saved.id, "nope", PlacementSlot::featured, kNow + kDay, kNow);
  wrong.share_of_voice = 0;
  auto refused = service.create_placement(wrong, "ops@example.org");
  ASSERT_EQ(refused.result, PlacementSaved::Result::invalid);
  std::vector<std::string> fields;
  for (const auto& [field, message] : refused.errors) fields.push_back(field);
  EXPECT_EQ(fields, (std::vector<std::string>{"ends_at", "share_of_voice", "event_key"}));
  EXPECT_TRUE(this->store_->list_placements(0).empty());
  EXPECT_EQ(this->store_->placements_version(), 0);

  auto created = service.create_placement(a_placement(saved.id, "jazz", PlacementSlot::featured, kNow, kNow + 5 * kDay),
                                          "ops@example.org");
  ASSERT_EQ(created.result, PlacementSaved::Result::created);
  const Placement& p = created.placement;
  EXPECT_EQ(p.state, PlacementState::draft);
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.price_cents, 25000);
  EXPECT_EQ(p.currency, "eur");
  EXPECT_EQ(this->store_->list_audit(1).front().action, "placement_create");
  const std::int64_t v1 = this->store_->placements_version();
  EXPECT_GT(v1, 0);

  // An edit from a stale version is a conflict that returns the stored one.
  Placement edited = p;
  edited.priority = 2;
  edited.share_of_voice = 60;
  auto e1 = service.edit_placement(edited, p.version, "ops@example.org");
  ASSERT_EQ(e1.result, PlacementSaved::Result::updated);
  EXPECT_EQ(e1.placement.version, 2);
  EXPECT_EQ(e1.placement.priority, 2);
  edited.priority = 9;
  auto stale = service.edit_placement(edited, p.version, "other@example.org");
  ASSERT_EQ(stale.result, PlacementSaved::Result::conflict);
  EXPECT_EQ(stale.placement.priority, 2);
  EXPECT_EQ(service.edit_placement(e1.placement, 2, "ops@example.org").result, PlacementSaved::Result::unchanged);

  // Operators cannot approve an unpaid placement; a payment then an approval can.
  auto early = service.move(p.id, PlacementMove::approve, "ops@example.org");
  EXPECT_EQ(early.result, PlacementMoved::Result::refused);
  EXPECT_EQ(early.reason, "only a paid placement can be approved");
  auto paid = this->store_->move_placement(p.id, PlacementMove::payment_succeeded, ChangeBy{"stripe", kNow, "evt_1"});
  EXPECT_TRUE(paid.result.changed);
  auto approved = service.move(p.id, PlacementMove::approve, "ops@example.org");
  EXPECT_EQ(approved.result, PlacementMoved::Result::moved);
  EXPECT_EQ(approved.placement.state, PlacementState::scheduled);
  EXPECT_EQ(approved.warning, "");
  EXPECT_EQ(service.move(p.id, PlacementMove::approve, "ops@example.org").result, PlacementMoved::Result::unchanged);
  EXPECT_EQ(this->store_->list_audit(1).front().action, "placement_approve");

  const auto history = this->store_->placement_history(p.id);
  ASSERT_EQ(history.size(), 4u);  // create, edit, payment_succeeded, approve: refused and idle moves write nothing
  EXPECT_EQ(history[0].action, "create");
  EXPECT_EQ(history[1].action, "edit");
  EXPECT_EQ(history[1].detail, "priority, share_of_voice");
  EXPECT_EQ(history[2].action, "payment_succeeded");
  EXPECT_EQ(history[2].actor, "stripe");
  EXPECT_EQ(history[2].detail, "evt_1");
  EXPECT_EQ(history[3].from_state, "paid");
  EXPECT_EQ(history[3].to_state, "scheduled");
  EXPECT_EQ(this->store_->placements_version(), history.back().id);
}

TYPED_TEST(Placements, AConcurrentPaymentEventChangesTheStateOnce) {
  ManualClock clock(kNow);
  this->store_->upsert_events({an_event("jazz").at(kNow + 10 * kDay)}, kNow);
  PlacementService service(*this->store_, clock);
  const auto partner = service.save_partner(Partner{0, "Brewery", "", "", 0, 0}, "ops").id;
  const auto id = service.create_placement(a_placement(partner, "jazz", PlacementSlot::promoted, kNow, kNow + kDay), "ops")
                      .placement.id;
  std::atomic<int> changed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto store = this->reopen();
      if (store->move_placement(id, PlacementMove::payment_succeeded, ChangeBy{"stripe", kNow, ""}).result.changed) ++changed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(changed.load(), 1);
  EXPECT_EQ(this->store_->find_placement(id)->state, PlacementState::paid);
  EXPECT_EQ(this->store_->placement_history(id).size(), 2u);
  // A failure reported after the success changes nothing; a refund ends it.
  EXPECT_FALSE(this->store_->move_placement(id, PlacementMove::payment_failed, ChangeBy{"stripe", kNow, ""}).result.changed);
  EXPECT_EQ(this->store_->move_placement(id, PlacementMove::refund, ChangeBy{"stripe", kNow, ""}).placement.state,
            PlacementState::refunded);
}

// The board reloads only when a placement (or its partner) changed, from any
// connection; what shows follows the window to the second, across the
// change to summer time in Berlin (2027-03-28 02:00 CET → 03:00 CEST).
TYPED_TEST(Placements, TheBoardShowsAWindowFromItsFirstSecondToItsLastAcrossDst) {
  ManualClock clock(kNow);
  const UnixSeconds opens = 1806193800;   // 2027-03-28T00:30:00Z = 01:30 CET, before the change
  const UnixSeconds closes = 1806199200;  // 2027-03-28T02:00:00Z = 04:00 CEST, after it: 90 minutes, not 150
  this->store_->upsert_events(
      {an_event("jazz").title("Jazz").zone("Europe/Berlin").at(1806256800), an_event("folk").at(1806256800)}, kNow);
  PlacementService service(*this->store_, clock);
  const auto partner = service.save_partner(Partner{0, "Brewery", "", "", 0, 0}, "ops").id;
  const auto id = service.create_placement(a_placement(partner, "jazz", PlacementSlot::featured, opens, closes), "ops")
                      .placement.id;
  this->store_->move_placement(id, PlacementMove::payment_succeeded, ChangeBy{"stripe", kNow, ""});

  PlacementBoard board(*this->store_);
  EXPECT_TRUE(board.refresh());
  EXPECT_FALSE(board.refresh());  // nothing changed
  EXPECT_TRUE(board.current()->placements.empty());  // paid, not approved: nothing may show

  auto other = this->reopen();
  PlacementService elsewhere(*other, clock);
  ASSERT_EQ(elsewhere.move(id, PlacementMove::approve, "ops").result, PlacementMoved::Result::moved);
  EXPECT_TRUE(board.refresh());
  ASSERT_EQ(board.current()->placements.size(), 1u);
  EXPECT_EQ(board.current()->partner_names.at(partner), "Brewery");

  const auto programme = build_programme(this->store_->list_events(), 1);
  const PlacementSet& set = *board.current();
  auto at = [&](UnixSeconds t) { return active_placements(set, *programme, t); };
  EXPECT_TRUE(at(opens - 1).empty());
  EXPECT_EQ(at(opens - 1).valid_until, opens);
  ASSERT_EQ(at(opens).featured.size(), 1u);
  EXPECT_EQ(at(opens).featured[0].partner, "Brewery");
  EXPECT_EQ(at(opens).featured[0].entry->event.title, "Jazz");
  EXPECT_EQ(at(opens).valid_until, closes);
  EXPECT_EQ(at(closes - 1).featured.size(), 1u);
  EXPECT_TRUE(at(closes).empty());

  // Renaming the partner reaches the board; pausing takes the placement off.
  elsewhere.save_partner(Partner{partner, "Harbour Brewery", "", "", 0, 0}, "ops");
  EXPECT_TRUE(board.refresh());
  EXPECT_EQ(board.current()->partner_names.at(partner), "Harbour Brewery");
  elsewhere.move(id, PlacementMove::pause, "ops");
  EXPECT_TRUE(board.refresh());
  EXPECT_TRUE(active_placements(*board.current(), *programme, opens).empty());
}

TYPED_TEST(Placements, ACancelledEventsPlacementStopsShowingAndTheOperatorIsTold) {
  ManualClock clock(kNow);
  this->store_->upsert_events({an_event("jazz").at(kNow + kDay).status(EventStatus::cancelled)}, kNow);
  PlacementService service(*this->store_, clock);
  const auto partner = service.save_partner(Partner{0, "Brewery", "", "", 0, 0}, "ops").id;
  const auto id =
      service.create_placement(a_placement(partner, "jazz", PlacementSlot::promoted, kNow - 60, kNow + kDay), "ops")
          .placement.id;
  this->store_->move_placement(id, PlacementMove::payment_succeeded, ChangeBy{"stripe", kNow, ""});
  auto approved = service.move(id, PlacementMove::approve, "ops");
  EXPECT_EQ(approved.result, PlacementMoved::Result::moved);
  EXPECT_EQ(approved.warning, "It does not show: its event is cancelled.");
  PlacementBoard board(*this->store_);
  board.refresh();
  EXPECT_TRUE(active_placements(*board.current(), *build_programme(this->store_->list_events(), 1), kNow).empty());
}
