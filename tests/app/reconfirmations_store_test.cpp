// Reconfirmation (issue 21, no-show management) on SQLite and PostgreSQL:
// confirmed attendees are asked "Still coming?" once at the event's moment
// (not before it, not those who registered later, not the waiting list);
// "yes" keeps the place, "release" gives it to the waiting list at once;
// at the deadline the unanswered places of those asked go to the waiting
// list (they are told); nothing after the start; a transfer's new holder is
// asked again; the settings are checked.
#include <gtest/gtest.h>

#include "app/place_offers.hpp"
#include "app/reconfirmations.hpp"
#include "app/registration_service.hpp"
#include "app/self_service.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 10;
constexpr UnixSeconds kHour = 3600;

struct Fixture {
  explicit Fixture(Store& s)
      : store(s), clock(kNow), registrations(s, clock, RegistrationOptions{1, 8, {}}), offers(s, clock), reconfirm(s, clock) {}
  RegistrationReply join(const Event& e, const std::string& who) {
    return registrations.register_attendee(e, RegistrationInput{"Person " + who, who + "@example.org", {}, ""});
  }
  Store& store;
  ManualClock clock;
  RegistrationService registrations;
  WaitingListOffers offers;
  Reconfirmations reconfirm;
};

std::vector<std::int64_t> rows_of(Store& store, const std::string& kind) {
  std::vector<std::int64_t> out;
  for (const auto& m : store.list_outbox())
    if (m.kind == kind) out.push_back(*m.registration_id);
  return out;
}

AttendeeState state_of(Store& store, std::int64_t id) { return store.find_registration(id)->state; }

// The outbox's delivery, as the notifier would do it at `at`: every due row sent.
void deliver_all(Store& store, UnixSeconds at) {
  for (const auto& r : store.claim_outbox(at, 1000, 60, "test"))
    store.mark_outbox_sent(r.message.id, "test", r.message.revision, std::nullopt, at);
}

}  // namespace

template <typename B>
using ReconfirmStore_ = StoreTest<B>;
TYPED_TEST_SUITE(ReconfirmStore_, Backends, BackendNames);

TYPED_TEST(ReconfirmStore_, SettingsAreCheckedAndSaved) {
  Store& store = *this->store_;
  Fixture f(store);
  store.upsert_events({an_event("a").title("Talk a").at(kStart).registration(2, true)}, kNow);
  auto bad = f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48", "48", std::nullopt}, "ops");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].first, "reconfirm_release_hours");
  EXPECT_NE(bad.errors[0].second.find("release at least an hour after asking"), std::string::npos);
  EXPECT_EQ(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "400", std::nullopt, std::nullopt}, "ops").errors.size(), 1u);
  EXPECT_EQ(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "soon", std::nullopt, std::nullopt}, "ops").errors.size(), 1u);
  EXPECT_EQ(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, std::nullopt, "24", std::nullopt}, "ops").errors.size(), 1u)
      << "no release without asking";
  auto ok = f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48h", "24", std::nullopt}, "ops");
  ASSERT_TRUE(ok.errors.empty());
  EXPECT_EQ(store.event_operations("a").reconfirm_hours, 48);
  EXPECT_EQ(store.event_operations("a").reconfirm_release_hours, 24);
  EXPECT_NE(store.list_audit(1)[0].after.find("reconfirm=48h, release=24h"), std::string::npos);
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "off", std::nullopt, std::nullopt}, "ops").errors.empty());
  EXPECT_FALSE(store.event_operations("a").reconfirm_hours);
  EXPECT_FALSE(store.event_operations("a").reconfirm_release_hours) << "asking off switches releasing off";
}

TYPED_TEST(ReconfirmStore_, AskedOnceAtTheMomentAnsweredAndReleasedAtTheDeadline) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(3, true);
  store.upsert_events({e}, kNow);
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48", "24", std::nullopt}, "ops").errors.empty());
  const auto ana = f.join(e, "ana"), bo = f.join(e, "bo"), cy = f.join(e, "cy"), di = f.join(e, "di"), ed = f.join(e, "ed");
  ASSERT_EQ(di.result, RegisterResult::waitlisted);
  ASSERT_EQ(ed.result, RegisterResult::waitlisted);

  EXPECT_EQ(f.reconfirm.run(kStart - 48 * kHour - 60).asked, 0) << "a minute early";
  EXPECT_EQ(f.reconfirm.reconfirm(ana.token).result, ReconfirmAnswer::not_asked);
  EXPECT_EQ(f.reconfirm.run(kStart - 48 * kHour).asked, 3);
  EXPECT_EQ(f.reconfirm.run(kStart - 47 * kHour).asked, 0) << "once";
  EXPECT_EQ(rows_of(store, "reconfirm_request"),
            (std::vector<std::int64_t>{ana.registration.id, bo.registration.id, cy.registration.id}));
  EXPECT_EQ(store.find_registration(ana.registration.id)->reconfirm_asked_at, kStart - 48 * kHour);
  EXPECT_EQ(store.find_registration(ana.registration.id)->reconfirm_deadline, kStart - 24 * kHour);
  deliver_all(store, kStart - 48 * kHour);

  // ana says yes; bo releases (di gets the place at once, and is not asked: she just confirmed); cy is silent.
  f.clock.set(kStart - 40 * kHour);
  const auto yes = f.reconfirm.reconfirm(ana.token);
  EXPECT_EQ(yes.result, ReconfirmAnswer::reconfirmed);
  EXPECT_EQ(yes.registration.reconfirmed_at, kStart - 40 * kHour);
  EXPECT_EQ(yes.registration.moves.back().actor, "reconfirmed");
  EXPECT_EQ(f.reconfirm.reconfirm(ana.token).result, ReconfirmAnswer::already_reconfirmed);
  EXPECT_EQ(f.reconfirm.release(bo.token).result, CancelResult::cancelled);
  EXPECT_EQ(state_of(store, bo.registration.id), AttendeeState::cancelled);
  EXPECT_EQ(store.find_registration(bo.registration.id)->moves.back().actor, "attendee: released at reconfirmation");
  EXPECT_EQ(state_of(store, di.registration.id), AttendeeState::confirmed);
  EXPECT_EQ(f.reconfirm.reconfirm(bo.token).result, ReconfirmAnswer::not_confirmed);
  EXPECT_EQ(f.reconfirm.run(kStart - 40 * kHour).asked, 0) << "di confirmed after the moment: not asked";

  // The deadline: cy's place goes to ed; ana and di keep theirs.
  EXPECT_EQ(f.reconfirm.run(kStart - 24 * kHour - 60).released, 0);
  const ReconfirmRun at = f.reconfirm.run(kStart - 24 * kHour);
  EXPECT_EQ(at.released, 1);
  EXPECT_EQ(state_of(store, cy.registration.id), AttendeeState::cancelled);
  EXPECT_EQ(store.find_registration(cy.registration.id)->moves.back().actor, "not reconfirmed");
  EXPECT_EQ(state_of(store, ed.registration.id), AttendeeState::confirmed);
  EXPECT_EQ(state_of(store, ana.registration.id), AttendeeState::confirmed);
  EXPECT_EQ(state_of(store, di.registration.id), AttendeeState::confirmed);
  EXPECT_EQ(rows_of(store, "reconfirm_released"), (std::vector<std::int64_t>{cy.registration.id}));
  EXPECT_EQ(f.reconfirm.run(kStart - 23 * kHour).released, 0) << "once";
  const auto counts = *store.event_counts("a");
  EXPECT_EQ(counts.confirmed, 3);
  EXPECT_EQ(counts.waitlisted, 0);
  EXPECT_EQ(f.reconfirm.reconfirm("not-a-token").result, ReconfirmAnswer::not_found);
}

TYPED_TEST(ReconfirmStore_, NothingAfterTheStartNorForCancelledEventsAndANewHolderIsAskedAgain) {
  Store& store = *this->store_;
  Fixture f(store);
  Event e = an_event("a").title("Talk a").at(kStart).registration(2, true);
  store.upsert_events({e}, kNow);
  EXPECT_EQ(f.offers.save("a", OperationsChange{"", "", true, std::nullopt, "48", "0", std::nullopt}, "ops").errors.size(), 1u)
      << "releasing needs an hour before the start";
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", true, std::nullopt, "48", "1", std::nullopt}, "ops").errors.empty());
  const auto ana = f.join(e, "ana");
  EXPECT_EQ(f.reconfirm.run(kStart).asked, 0) << "started";
  EXPECT_EQ(f.reconfirm.run(kStart - 2 * kHour).asked, 1);
  // Passed on before answering: the new holder is asked on the next run (their own question).
  f.clock.set(kStart - 2 * kHour + 60);
  SelfService self(store, f.clock, f.registrations);
  const auto moved = self.transfer(ana.token, e, RegistrationInput{"Person cy", "cy@example.org", {}, ""}, "attendee");
  ASSERT_EQ(moved.outcome.result, TransferResult::transferred);
  EXPECT_FALSE(store.find_registration(ana.registration.id)->reconfirm_asked_at);
  EXPECT_EQ(f.reconfirm.run(kStart - 2 * kHour + 60).asked, 1);
  EXPECT_EQ(rows_of(store, "reconfirm_request").size(), 2u);
  // Past the start nothing more is done (the door takes over).
  EXPECT_EQ(f.reconfirm.run(kStart).released, 0);
  EXPECT_EQ(state_of(store, ana.registration.id), AttendeeState::confirmed);
  e.status = EventStatus::cancelled;
  store.upsert_events({e}, kNow + 1);
  EXPECT_EQ(f.reconfirm.run(kStart - 30 * 60).released, 0) << "a cancelled event releases nothing";
}

TYPED_TEST(ReconfirmStore_, LateQuestionsGetTheirOwnWindowAndUntoldOrErasedPeopleKeepTheirPlace) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(5, true);
  store.upsert_events({e}, kNow);
  const auto ana = f.join(e, "ana"), bo = f.join(e, "bo"), cy = f.join(e, "cy");
  // Switched on 10 hours before the start (ask 48, release 24): asked now, with 6 hours to answer, not 0.
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48", "24", std::nullopt}, "ops").errors.empty());
  EXPECT_EQ(f.reconfirm.run(kStart - 10 * kHour).asked, 3);
  EXPECT_EQ(store.find_registration(ana.registration.id)->reconfirm_deadline, kStart - 4 * kHour);
  deliver_all(store, kStart - 10 * kHour);
  EXPECT_EQ(f.reconfirm.run(kStart - 10 * kHour + 60).released, 0) << "not a minute later";
  ASSERT_TRUE(f.registrations.erase(bo.registration.id, "operator"));
  EXPECT_EQ(f.reconfirm.run(kStart - 4 * kHour).released, 2) << "ana and cy; bo was erased and cannot answer";
  EXPECT_EQ(state_of(store, bo.registration.id), AttendeeState::confirmed);
}

TYPED_TEST(ReconfirmStore_, AQuestionNeverSentReleasesNothingAndAMovedEventAsksAgain) {
  Store& store = *this->store_;
  Fixture f(store);
  Event e = an_event("a").title("Talk a").at(kStart).registration(5, true);
  store.upsert_events({e}, kNow);
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48", "24", std::nullopt}, "ops").errors.empty());
  const auto ana = f.join(e, "ana");
  EXPECT_EQ(f.reconfirm.run(kStart - 48 * kHour).asked, 1);
  // The mail never went out (no SMTP, no public URL): the deadline passes and nothing is released.
  EXPECT_EQ(f.reconfirm.run(kStart - 24 * kHour).released, 0);
  EXPECT_EQ(state_of(store, ana.registration.id), AttendeeState::confirmed);
  // The event moves three days later: the question is asked again at the new moment, with a new deadline.
  e.starts_at += 3 * 86400;
  e.ends_at += 3 * 86400;
  store.upsert_events({e}, kStart - 23 * kHour);
  EXPECT_FALSE(store.find_registration(ana.registration.id)->reconfirm_asked_at);
  EXPECT_EQ(f.reconfirm.run(kStart - 23 * kHour).asked, 0) << "the new moment has not come";
  EXPECT_EQ(f.reconfirm.run(e.starts_at - 48 * kHour).asked, 1);
  EXPECT_EQ(store.find_registration(ana.registration.id)->reconfirm_deadline, e.starts_at - 24 * kHour);
  EXPECT_EQ(rows_of(store, "reconfirm_request").size(), 2u);
  // The first question, still pending, is superseded: the notifier skips it (asked_at later than the row).
  std::int64_t old_row = 0;
  for (const auto& m : store.list_outbox())
    if (m.kind == "reconfirm_request" && (old_row == 0 || m.id < old_row)) old_row = m.id;
  const auto first = *store.find_outbox(old_row);
  ASSERT_TRUE(first.reconfirm_asked_at);
  EXPECT_GT(*first.reconfirm_asked_at, first.message.created_at);
}

TYPED_TEST(ReconfirmStore_, EventsWithoutACapacityReleaseNothing) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(std::nullopt, false);
  store.upsert_events({e}, kNow);
  ASSERT_TRUE(f.offers.save("a", OperationsChange{"", "", std::nullopt, std::nullopt, "48", "24", std::nullopt}, "ops").errors.empty());
  const auto ana = f.join(e, "ana");
  EXPECT_EQ(f.reconfirm.run(kStart - 48 * kHour).asked, 1);
  deliver_all(store, kStart - 48 * kHour);
  EXPECT_EQ(f.reconfirm.run(kStart - 24 * kHour).released, 0) << "nobody waits for an unlimited event";
  EXPECT_EQ(state_of(store, ana.registration.id), AttendeeState::confirmed);
}
