// Waiting-list offers (issue 21) on SQLite and PostgreSQL: a freed place is
// held for the next person waiting until they accept, decline or the offer
// expires (clock seam); offers close to the start are shorter; operators
// offer by hand (adding a place when none is free); a lowered capacity
// withdraws offers; and under many concurrent cancels, accepts, declines and
// expiry runs no place is offered twice, taken twice or lost.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "app/place_offers.hpp"
#include "support/event_builder.hpp"
#include "support/registration_request.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 10;

Event event(const std::string& key, std::int64_t capacity, UnixSeconds start = kStart) {
  return an_event(key).title("Talk " + key).at(start).registration(capacity, true);
}

// Registers `who` in order; returns their requests (token hashes) by name.
std::map<std::string, RegistrationRequest> register_all(Store& store, const std::string& key,
                                                        const std::vector<std::string>& who, UnixSeconds at = kNow) {
  std::map<std::string, RegistrationRequest> out;
  std::vector<RegistrationRequest> requests;
  for (const auto& w : who) requests.push_back(out[w] = a_registration(key, w));
  for (const auto& r : store.register_batch(requests, at))
    EXPECT_TRUE(r.result == RegisterResult::confirmed || r.result == RegisterResult::waitlisted);
  return out;
}

Registration by_name(Store& store, const std::string& key, const std::string& who) {
  for (auto& r : store.list_registrations(key, true))
    if (r.name == "Attendee " + who) return r;
  ADD_FAILURE() << "no registration of " << who;
  return {};
}

std::vector<OutboxMessage> rows_of(Store& store, const std::string& kind) {
  std::vector<OutboxMessage> out;
  for (auto& m : store.list_outbox())
    if (m.kind == kind) out.push_back(m);
  return out;
}

void use_offers(Store& store, const std::string& key, int hours = 12) {
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  ASSERT_TRUE(offers.save(key, OperationsChange{"offer", std::to_string(hours), std::nullopt, std::nullopt}, "ops@example.org").changed);
}

// The counter agrees with the rows, and nothing passes the capacity.
void expect_consistent(Store& store, const std::string& key) {
  const auto counts = *store.event_counts(key);
  std::int64_t confirmed = 0, waitlisted = 0, open = 0, waiting_without_offer = 0;
  std::map<std::int64_t, AttendeeState> state;
  for (const auto& r : store.list_registrations(key, false)) {
    state[r.id] = r.state;
    if (r.state == AttendeeState::confirmed || r.state == AttendeeState::checked_in) ++confirmed;
    if (r.state == AttendeeState::waitlisted) ++waitlisted;
  }
  std::map<std::int64_t, int> open_per_registration;
  for (const auto& o : store.list_offers(key)) {
    if (o.state == OfferState::open) {
      ++open;
      EXPECT_EQ(++open_per_registration[o.registration_id], 1) << "two open offers for one registration";
      EXPECT_EQ(state[o.registration_id], AttendeeState::waitlisted);
    }
    if (o.state == OfferState::accepted) {
      EXPECT_TRUE(state[o.registration_id] == AttendeeState::confirmed || state[o.registration_id] == AttendeeState::checked_in);
    }
    if (o.state == OfferState::declined || o.state == OfferState::expired) {
      EXPECT_EQ(state[o.registration_id], AttendeeState::cancelled) << "offer " << o.id;
    }
  }
  for (const auto& [id, s] : state)
    if (s == AttendeeState::waitlisted && !open_per_registration.count(id)) ++waiting_without_offer;
  EXPECT_EQ(counts.confirmed, confirmed);
  EXPECT_EQ(counts.waitlisted, waitlisted);
  EXPECT_EQ(counts.offered, open);
  ASSERT_TRUE(counts.capacity);
  EXPECT_LE(confirmed + open, *counts.capacity) << "more places taken or held than there are";
  if (waiting_without_offer > 0) {
    EXPECT_EQ(confirmed + open, *counts.capacity) << "a free place was lost while people wait";
  }
}

}  // namespace

template <typename B>
using PlaceOfferStore = StoreTest<B>;
TYPED_TEST_SUITE(PlaceOfferStore, Backends, BackendNames);

TYPED_TEST(PlaceOfferStore, SettingsAreValidatedAndAudited) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  store.upsert_events({event("a", 2)}, kNow);
  EXPECT_EQ(offers.operations("a").promotion, Promotion::automatic) << "automatic until an operator says otherwise";
  EXPECT_EQ(offers.operations("a").offer_hours, kDefaultOfferHours);
  auto bad = offers.save("a", OperationsChange{"lottery", "0", std::nullopt, std::nullopt}, "ops@example.org");
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0].first, "promotion");
  EXPECT_EQ(bad.errors[1].first, "offer_hours");
  EXPECT_EQ(offers.operations("a").promotion, Promotion::automatic) << "nothing saved";
  EXPECT_FALSE(offers.save("nope", OperationsChange{"offer", "", std::nullopt, std::nullopt}, "ops@example.org").found);
  auto saved = offers.save("a", OperationsChange{"offer", "6", std::nullopt, std::nullopt}, "ops@example.org");
  EXPECT_TRUE(saved.changed);
  EXPECT_EQ(offers.operations("a").promotion, Promotion::offer);
  EXPECT_EQ(offers.operations("a").offer_hours, 6);
  EXPECT_FALSE(offers.save("a", OperationsChange{"offer", "6", std::nullopt, std::nullopt}, "ops@example.org").changed) << "unchanged: no second audit entry";
  int audited = 0;
  for (const auto& e : store.list_audit(20))
    if (e.action == "event_operations" && e.target == "event a" && e.before == "promotion=automatic, offer_hours=12, transfers=off" &&
        e.after == "promotion=offer, offer_hours=6, transfers=off")
      ++audited;
  EXPECT_EQ(audited, 1);
}

TYPED_TEST(PlaceOfferStore, AFreedPlaceIsHeldUntilAcceptedAndNobodyElseTakesIt) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 2)}, kNow);
  use_offers(store, "a");
  auto who = register_all(store, "a", {"ana", "bo", "cy", "dee"});
  ASSERT_EQ(by_name(store, "a", "cy").state, AttendeeState::waitlisted);

  // ana cancels: the place is offered to cy (first waiting), held for 12 hours.
  const auto cancelled = store.cancel_registration(who["ana"].token_hash, kNow + 60, "attendee");
  EXPECT_FALSE(cancelled.promoted) << "offer mode confirms nobody by itself";
  const Registration cy = by_name(store, "a", "cy");
  EXPECT_EQ(cy.state, AttendeeState::waitlisted);
  const auto offer = store.open_offer(cy.id);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->expires_at, kNow + 60 + 12 * 3600);
  EXPECT_EQ(offer->actor, "promotion");
  auto counts = *store.event_counts("a");
  EXPECT_EQ(counts.confirmed, 1);
  EXPECT_EQ(counts.offered, 1);
  EXPECT_EQ(store.taken_counts()["a"], 2) << "the held place is not free for the public";
  const auto offered_rows = rows_of(store, "place_offered");
  ASSERT_EQ(offered_rows.size(), 1u);
  EXPECT_EQ(offered_rows[0].offer_id, offer->id);
  EXPECT_EQ(store.find_outbox(offered_rows[0].id)->offer_state, "open");
  EXPECT_EQ(store.find_outbox(offered_rows[0].id)->offer_expires_at, offer->expires_at);

  // A newcomer cannot take the held place.
  const auto late = store.register_batch({a_registration("a", "eve")}, kNow + 120);
  EXPECT_EQ(late[0].result, RegisterResult::waitlisted);

  // dee has no offer; cy accepts in time.
  EXPECT_EQ(store.accept_offer(who["dee"].token_hash, kNow + 180).result, OfferAnswer::no_offer);
  const auto accepted = store.accept_offer(who["cy"].token_hash, kNow + 180);
  EXPECT_EQ(accepted.result, OfferAnswer::accepted);
  EXPECT_EQ(accepted.registration.state, AttendeeState::confirmed);
  EXPECT_EQ(accepted.registration.moves.back().actor, "offer accepted");
  ASSERT_TRUE(accepted.offer);
  EXPECT_EQ(accepted.offer->state, OfferState::accepted);
  counts = *store.event_counts("a");
  EXPECT_EQ(counts.confirmed, 2);
  EXPECT_EQ(counts.offered, 0);
  EXPECT_EQ(counts.waitlisted, 2);
  EXPECT_EQ(rows_of(store, "waitlist_promoted").size(), 1u);
  EXPECT_EQ(store.find_outbox(offered_rows[0].id)->offer_state, "accepted") << "the offer message is skipped if still queued";
  EXPECT_EQ(store.accept_offer(who["cy"].token_hash, kNow + 200).result, OfferAnswer::no_offer) << "twice: nothing";
  expect_consistent(store, "a");
}

TYPED_TEST(PlaceOfferStore, DeclineAndExpiryPassThePlaceOnAndEndTheRegistration) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 1)}, kNow);
  use_offers(store, "a", 2);
  auto who = register_all(store, "a", {"ana", "bo", "cy", "dee"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");  // offered to bo until kNow + 2 h

  // bo declines: cancelled, cy is offered the place.
  const auto declined = store.decline_offer(who["bo"].token_hash, kNow + 60);
  EXPECT_EQ(declined.result, OfferAnswer::declined);
  EXPECT_EQ(declined.registration.state, AttendeeState::cancelled);
  const Registration cy = by_name(store, "a", "cy");
  const auto cy_offer = store.open_offer(cy.id);
  ASSERT_TRUE(cy_offer);
  EXPECT_EQ(cy_offer->expires_at, kNow + 60 + 7200);

  // The clock seam: nothing expires a second early; at the deadline cy's registration ends and dee is offered.
  EXPECT_EQ(store.expire_offers(cy_offer->expires_at - 1), 0);
  EXPECT_EQ(store.expire_offers(cy_offer->expires_at), 1);
  EXPECT_EQ(by_name(store, "a", "cy").state, AttendeeState::cancelled);
  EXPECT_EQ(by_name(store, "a", "cy").moves.back().actor, "offer expired");
  ASSERT_EQ(rows_of(store, "offer_expired").size(), 1u);
  EXPECT_EQ(rows_of(store, "offer_expired")[0].offer_id, cy_offer->id);
  const auto dee_offer = store.open_offer(by_name(store, "a", "dee").id);
  ASSERT_TRUE(dee_offer);

  // A late answer before the job ran: too late, the offer expires then and there (nobody left to offer).
  const auto late = store.accept_offer(who["dee"].token_hash, dee_offer->expires_at + 5);
  EXPECT_EQ(late.result, OfferAnswer::expired);
  EXPECT_EQ(late.registration.state, AttendeeState::cancelled);
  const auto counts = *store.event_counts("a");
  EXPECT_EQ(counts.confirmed, 0);
  EXPECT_EQ(counts.offered, 0);
  EXPECT_EQ(counts.waitlisted, 0);
  // The free place is open to anyone again.
  EXPECT_EQ(store.register_batch({a_registration("a", "eve")}, dee_offer->expires_at + 10)[0].result,
            RegisterResult::confirmed);
  expect_consistent(store, "a");
}

TYPED_TEST(PlaceOfferStore, OffersAreShorterCloseToTheStartAndStopAtIt) {
  Store& store = *this->store_;
  const UnixSeconds start = kNow + 3 * 3600;
  store.upsert_events({event("soon", 1, start)}, kNow);
  use_offers(store, "soon", 12);
  auto who = register_all(store, "soon", {"ana", "bo", "cy"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");
  const auto bo = store.open_offer(by_name(store, "soon", "bo").id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->expires_at, kNow + 3 * 3600 / 2) << "half the time left, not 12 hours";
  // bo answers too late, 10 minutes before the start: too close for another offer, so cy gets none.
  EXPECT_EQ(store.decline_offer(who["bo"].token_hash, start - 600).result, OfferAnswer::expired);
  EXPECT_FALSE(store.open_offer(by_name(store, "soon", "cy").id));
  EXPECT_EQ(store.expire_offers(start + 60), 0);
  EXPECT_FALSE(store.open_offer(by_name(store, "soon", "cy").id)) << "a started event makes no offers";
  EXPECT_EQ(by_name(store, "soon", "cy").state, AttendeeState::waitlisted);
}

TYPED_TEST(PlaceOfferStore, OperatorsOfferByHandAddingAPlaceWhenNoneIsFree) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  store.upsert_events({event("a", 1)}, kNow);
  register_all(store, "a", {"ana", "bo", "cy"});
  const std::int64_t version = store.find_event("a")->version;
  const Registration cy = by_name(store, "a", "cy");
  // Automatic promotion, no free place: refused unless a place is added.
  auto refused = offers.offer(cy.id, false, "ops@example.org");
  EXPECT_EQ(refused.result, HandOfferResult::no_free_place);
  EXPECT_EQ(WaitingListOffers::refusal_detail(refused),
            "every one of the 1 places is taken or held by an open offer: add a place to offer one");
  auto offered = offers.offer(cy.id, true, "ops@example.org");
  ASSERT_EQ(offered.result, HandOfferResult::offered);
  EXPECT_TRUE(offered.place_added);
  EXPECT_EQ(offered.capacity, 2);
  EXPECT_EQ(offered.offer->actor, "ops@example.org");
  EXPECT_EQ(store.find_event("a")->capacity, 2);
  EXPECT_EQ(store.find_event("a")->version, version + 1) << "the next publish shows the new capacity";
  EXPECT_EQ(store.event_counts("a")->offered, 1);
  EXPECT_EQ(by_name(store, "a", "bo").state, AttendeeState::waitlisted) << "bo, ahead of cy, was passed over by hand";
  EXPECT_EQ(offers.offer(cy.id, true, "ops@example.org").result, HandOfferResult::already_offered);
  EXPECT_EQ(offers.offer(by_name(store, "a", "ana").id, true, "ops@example.org").result, HandOfferResult::not_waitlisted);
  EXPECT_EQ(offers.offer(999999, true, "ops@example.org").result, HandOfferResult::not_found);
  bool audited = false;
  for (const auto& e : store.list_audit(10))
    if (e.action == "offer_place" && e.target == "registration " + std::to_string(cy.id))
      audited = e.after.find("capacity raised to 2") != std::string::npos && e.actor == "ops@example.org";
  EXPECT_TRUE(audited);
  expect_consistent(store, "a");
}

TYPED_TEST(PlaceOfferStore, ALoweredCapacityWithdrawsTheNewestOffers) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 3)}, kNow);
  use_offers(store, "a");
  auto who = register_all(store, "a", {"ana", "bo", "cy", "dee", "eve"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");  // → dee
  store.cancel_registration(who["bo"].token_hash, kNow, "attendee");   // → eve
  ASSERT_EQ(store.event_counts("a")->offered, 2);
  Event smaller = *store.find_event("a");
  smaller.capacity = 2;
  ASSERT_EQ(store.edit_event(smaller, smaller.version, kNow + 60, nullptr).result, EditResult::updated);
  EXPECT_TRUE(store.open_offer(by_name(store, "a", "dee").id)) << "the older offer stays";
  EXPECT_FALSE(store.open_offer(by_name(store, "a", "eve").id));
  EXPECT_EQ(by_name(store, "a", "eve").state, AttendeeState::waitlisted) << "still waiting";
  EXPECT_EQ(rows_of(store, "offer_withdrawn").size(), 1u);
  // Raised again: the freed place is offered to eve once more.
  Event bigger = *store.find_event("a");
  bigger.capacity = 3;
  ASSERT_EQ(store.edit_event(bigger, bigger.version, kNow + 120, nullptr).result, EditResult::updated);
  EXPECT_TRUE(store.open_offer(by_name(store, "a", "eve").id));
  expect_consistent(store, "a");
}

TYPED_TEST(PlaceOfferStore, BackupsKeepOffersAndSettings) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 1)}, kNow);
  use_offers(store, "a", 5);
  auto who = register_all(store, "a", {"ana", "bo"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");
  const auto dump = store.dump_tables();
  // Into a fresh store of the same backend.
  TypeParam fresh;
  fresh.create();
  {
    auto other = open_store(fresh.url);
    other->migrate();
    other->restore_tables(dump);
    EXPECT_EQ(other->event_operations("a").offer_hours, 5);
    EXPECT_EQ(other->event_counts("a")->offered, 1);
    ASSERT_EQ(other->list_offers("a").size(), 1u);
    const auto offered = rows_of(*other, "place_offered");
    ASSERT_EQ(offered.size(), 1u);
    EXPECT_EQ(offered[0].offer_id, other->list_offers("a")[0].id);
    EXPECT_EQ(other->find_outbox(offered[0].id)->offer_state, "open");
    EXPECT_EQ(other->accept_offer(who["bo"].token_hash, kNow + 60).result, OfferAnswer::accepted);
    EXPECT_EQ(other->list_offers("a")[0].answered_at, kNow + 60);
  }
  fresh.destroy();
}

TYPED_TEST(PlaceOfferStore, ACancelledEventWithdrawsItsOffersAndGivesNoPlaces) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 2)}, kNow);
  use_offers(store, "a");
  auto who = register_all(store, "a", {"ana", "bo", "cy", "dee"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");  // → cy
  Event cancelled = *store.find_event("a");
  cancelled.status = EventStatus::cancelled;
  ASSERT_EQ(store.edit_event(cancelled, cancelled.version, kNow + 60, nullptr).result, EditResult::updated);
  EXPECT_FALSE(store.open_offer(by_name(store, "a", "cy").id));
  EXPECT_EQ(by_name(store, "a", "cy").state, AttendeeState::waitlisted);
  EXPECT_EQ(store.event_counts("a")->offered, 0);
  ASSERT_EQ(rows_of(store, "offer_withdrawn").size(), 1u);
  // A cancellation frees a place; a cancelled event gives it to nobody.
  store.cancel_registration(who["bo"].token_hash, kNow + 120, "attendee");
  EXPECT_FALSE(store.open_offer(by_name(store, "a", "cy").id));
  EXPECT_EQ(store.accept_offer(who["cy"].token_hash, kNow + 180).result, OfferAnswer::no_offer);
  // Un-cancelled: the two free places are offered to cy and dee.
  Event back = *store.find_event("a");
  back.status = EventStatus::published;
  ASSERT_EQ(store.edit_event(back, back.version, kNow + 240, nullptr).result, EditResult::updated);
  EXPECT_TRUE(store.open_offer(by_name(store, "a", "cy").id));
  EXPECT_TRUE(store.open_offer(by_name(store, "a", "dee").id));
  expect_consistent(store, "a");
}

TYPED_TEST(PlaceOfferStore, AMovedStartShortensOffersAndUnlimitedCapacityConfirmsEveryone) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 1)}, kNow);
  use_offers(store, "a");
  auto who = register_all(store, "a", {"ana", "bo", "cy"});
  store.cancel_registration(who["ana"].token_hash, kNow, "attendee");  // → bo until kNow + 12 h
  Event sooner = *store.find_event("a");
  sooner.starts_at = kNow + 3600;
  sooner.ends_at = kNow + 7200;
  ASSERT_EQ(store.edit_event(sooner, sooner.version, kNow + 60, nullptr).result, EditResult::updated);
  EXPECT_EQ(store.open_offer(by_name(store, "a", "bo").id)->expires_at, kNow + 3600) << "not past the new start";
  // Unlimited: nothing to hold; everyone waiting is confirmed, bo's offer stays until answered.
  Event unlimited = *store.find_event("a");
  unlimited.capacity = std::nullopt;
  ASSERT_EQ(store.edit_event(unlimited, unlimited.version, kNow + 120, nullptr).result, EditResult::updated);
  EXPECT_EQ(by_name(store, "a", "cy").state, AttendeeState::confirmed);
  EXPECT_FALSE(store.open_offer(by_name(store, "a", "cy").id));
  EXPECT_EQ(store.accept_offer(who["bo"].token_hash, kNow + 180).result, OfferAnswer::accepted);
}

TYPED_TEST(PlaceOfferStore, ErasedPeopleAreNotOfferedAndAnErasedOffersPlaceMovesOn) {
  Store& store = *this->store_;
  store.upsert_events({event("a", 1)}, kNow);
  use_offers(store, "a");
  auto who = register_all(store, "a", {"ana", "bo", "cy", "dee"});
  ASSERT_TRUE(store.erase_registration(by_name(store, "a", "bo").id, kNow, "test"));  // bo cannot be told any more
  store.cancel_registration(who["ana"].token_hash, kNow + 60, "attendee");
  const Registration cy = by_name(store, "a", "cy");
  ASSERT_TRUE(store.open_offer(cy.id)) << "bo, erased, is passed over";
  ASSERT_TRUE(store.erase_registration(cy.id, kNow + 120, "test"));
  EXPECT_FALSE(store.open_offer(cy.id)) << "withdrawn with the person's data";
  EXPECT_TRUE(store.open_offer(by_name(store, "a", "dee").id));
  EXPECT_EQ(store.event_counts("a")->offered, 1);
}

// Many cancels, accepts, declines and expiry runs at once, on one event.
TYPED_TEST(PlaceOfferStore, ConcurrentCancelsAcceptsDeclinesAndExpiryNeverLoseOrDoubleAPlace) {
  Store& store = *this->store_;
  constexpr int kCapacity = 8, kWaiting = 40;
  store.upsert_events({event("hot", kCapacity)}, kNow);
  use_offers(store, "hot");
  std::vector<std::string> names;
  for (int i = 0; i < kCapacity + kWaiting; ++i) names.push_back("p" + std::to_string(i));
  auto who = register_all(store, "hot", names);
  std::vector<std::string> tokens;
  for (const auto& n : names) tokens.push_back(who[n].token_hash);

  std::atomic<bool> failed{false};
  auto guarded = [&](auto fn) {
    return [&failed, fn] {
      try {
        fn();
      } catch (const std::exception& e) {
        failed = true;
        ADD_FAILURE() << e.what();
      }
    };
  };
  std::vector<std::thread> threads;
  // The confirmed attendees cancel, two threads at once.
  for (int t = 0; t < 2; ++t)
    threads.emplace_back(guarded([&, t] {
      for (int i = t; i < kCapacity; i += 2) store.cancel_registration(tokens[i], kNow + 1, "attendee");
    }));
  // Everyone waiting tries to accept (most have no offer yet), two rounds each, from two threads.
  for (int t = 0; t < 2; ++t)
    threads.emplace_back(guarded([&, t] {
      for (int round = 0; round < 2; ++round)
        for (int i = kCapacity + t; i < kCapacity + kWaiting; i += 2) store.accept_offer(tokens[i], kNow + 2);
    }));
  // Every third person waiting declines whatever they are offered.
  threads.emplace_back(guarded([&] {
    for (int round = 0; round < 3; ++round)
      for (int i = kCapacity; i < kCapacity + kWaiting; i += 3) store.decline_offer(tokens[i], kNow + 2);
  }));
  // The expiry job runs as if 13 hours had passed, racing the answers.
  threads.emplace_back(guarded([&] {
    for (int round = 0; round < 5; ++round) store.expire_offers(kNow + 13 * 3600);
  }));
  // An operator offers places by hand (adding places), saves the settings and raises the capacity.
  threads.emplace_back(guarded([&] {
    ManualClock clock(kNow + 2);
    WaitingListOffers offers(store, clock);
    const auto list = store.list_registrations("hot", false);
    for (int i = kCapacity + kWaiting - 1; i >= kCapacity + kWaiting - 4; --i) {
      offers.offer(list[i].id, true, "ops@example.org");
      offers.save("hot", OperationsChange{"offer", std::to_string(6 + i % 3), std::nullopt, std::nullopt}, "ops@example.org");
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
      Event e = *store.find_event("hot");
      e.capacity = *e.capacity + 1;
      if (store.edit_event(e, e.version, kNow + 3, nullptr).result == EditResult::updated) break;
    }
  }));
  for (auto& t : threads) t.join();
  ASSERT_FALSE(failed);
  expect_consistent(store, "hot");

  // Whatever is left open expires; every place then is confirmed or held, or nobody waits.
  store.expire_offers(kNow + 40 * 3600);
  expect_consistent(store, "hot");
  EXPECT_GE(store.list_offers("hot").size(), static_cast<std::size_t>(kCapacity)) << "each cancel offered its place";
  // Each accepted offer is exactly one confirmation by offer.
  int accepted = 0, moves = 0;
  for (const auto& o : store.list_offers("hot")) accepted += o.state == OfferState::accepted;
  for (const auto& r : store.list_registrations("hot", true))
    for (const auto& m : r.moves) moves += m.actor == "offer accepted";
  EXPECT_EQ(accepted, moves);
  EXPECT_EQ(static_cast<std::int64_t>(rows_of(store, "waitlist_promoted").size()), accepted);
}
