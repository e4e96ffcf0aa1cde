// Release at the door (issue 21, no-show management) on SQLite and
// PostgreSQL: not before the event's door release time; then the places of
// confirmed attendees never admitted are released in one move (audited, no
// promotion by e-mail); a released ticket is refused as released; a
// waiting-list ticket scanned at the door takes a free place and is admitted,
// until none is free; the no-show figures count the released as no-shows.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/checkins.hpp"
#include "app/door_releases.hpp"
#include "app/no_show_report.hpp"
#include "app/place_offers.hpp"
#include "core/event_key.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400;

std::string code_of(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "TK7%05d", n);
  return buf;
}

RegistrationRequest person(int n) {
  RegistrationRequest r;
  r.event_key = "late";
  r.name = "Attendee " + std::to_string(n);
  r.email = "p" + std::to_string(n) + "@example.org";
  r.request_hash = sha256_hex("late" + std::to_string(n));
  r.token_hash = sha256_hex("late-t" + std::to_string(n));
  r.ticket_code = code_of(n);
  return r;
}

ScanResult scan_one(CheckinService& service, std::int64_t list, const std::string& id, int who, bool offline = false) {
  auto r = service.scan(list, {ScanInputText{"gate", id, code_of(who), "entry", kStart + 1200, offline}});
  if (auto* e = std::get_if<FieldErrors>(&r)) {
    ADD_FAILURE() << e->front().first << ": " << e->front().second;
    return {};
  }
  return std::get<std::vector<ScanResult>>(r).at(0);
}

}  // namespace

template <typename B>
using DoorRelease_ = StoreTest<B>;
TYPED_TEST_SUITE(DoorRelease_, Backends, BackendNames);

TYPED_TEST(DoorRelease_, NoShowsPlacesGoToTheWaitingListAtTheDoor) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  DoorReleases releases(store, clock);
  store.upsert_events({an_event("late").title("Late show").at(kStart).venue("Club").registration(4, true)}, kNow);
  std::vector<RegistrationRequest> people;
  for (int n = 1; n <= 7; ++n) people.push_back(person(n));
  store.register_batch(people, kNow);  // 1–4 confirmed, 5–7 waiting
  CheckinService service(store, store, store, clock);
  CheckinListInput club;
  club.name = "Club door";
  club.events = {"late"};
  const auto list = std::get<std::int64_t>(service.create_list(club, "ops@example.org"));

  // Off until set; checked.
  EXPECT_EQ(releases.release("late", "door@example.org").result, DoorReleaseResult::off);
  EXPECT_EQ(releases.release("nope", "door@example.org").result, DoorReleaseResult::not_found);
  OperationsChange bad;
  bad.door_release = "2";
  EXPECT_EQ(offers.save("late", bad, "ops").errors.at(0).first, "door_release_minutes");
  OperationsChange change;
  change.door_release = "15";
  ASSERT_TRUE(offers.save("late", change, "ops").errors.empty());
  EXPECT_EQ(offers.operations("late").door_release_minutes, 15);

  // Two came on time; before the release time a waiting-list ticket is still refused.
  clock.set(kStart + 600);
  EXPECT_EQ(scan_one(service, list, "1", 1).outcome, ScanOutcome::admitted);
  EXPECT_EQ(scan_one(service, list, "2", 2).outcome, ScanOutcome::admitted);
  EXPECT_EQ(scan_one(service, list, "3", 5).refusal, ScanRefusal::waitlisted);
  const auto early = releases.release("late", "door@example.org");
  EXPECT_EQ(early.result, DoorReleaseResult::too_early);
  EXPECT_EQ(early.release_at, kStart + 900);
  auto places = releases.places_of_list(list);
  ASSERT_EQ(places.size(), 1u);
  EXPECT_FALSE(places[0].releasable);
  EXPECT_EQ(places[0].not_checked_in, 2);
  EXPECT_EQ(places[0].free, 0);

  // At the release time: 3 and 4 lose their places, nobody waiting is promoted by e-mail.
  clock.set(kStart + 960);
  const auto outbox_before = store.list_outbox().size();
  const auto released = releases.release("late", "door@example.org");
  ASSERT_EQ(released.result, DoorReleaseResult::released);
  EXPECT_EQ(released.count, 2);
  EXPECT_EQ(store.find_registration_by_token(sha256_hex("late-t3"))->state, AttendeeState::cancelled);
  EXPECT_EQ(store.find_registration_by_token(sha256_hex("late-t5"))->state, AttendeeState::waitlisted);
  EXPECT_EQ(store.list_outbox().size(), outbox_before);
  EXPECT_EQ(store.event_counts("late")->confirmed, 2);
  const auto audit = store.list_audit(5);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "door_release");
  EXPECT_EQ(audit.front().after, "2 places released at the door");
  places = releases.places_of_list(list);
  EXPECT_TRUE(places[0].releasable);
  EXPECT_EQ(places[0].released, 2);
  EXPECT_EQ(places[0].free, 2);
  EXPECT_EQ(places[0].waitlisted, 3);
  EXPECT_EQ(places[0].not_checked_in, 0);
  // Again: nothing left to release.
  EXPECT_EQ(releases.release("late", "door@example.org").count, 0);
  // A later trigger of the promotion (here saving a setting) gives nobody at home the free places either.
  OperationsChange transfers;
  transfers.transfers = true;
  ASSERT_TRUE(offers.save("late", transfers, "ops").errors.empty());
  EXPECT_EQ(store.find_registration_by_token(sha256_hex("late-t5"))->state, AttendeeState::waitlisted);
  EXPECT_EQ(store.list_outbox().size(), outbox_before);

  // The one who was late: refused as released. Those waiting at the door take the places, one by one.
  EXPECT_EQ(scan_one(service, list, "4", 3).refusal, ScanRefusal::released);
  const auto in5 = scan_one(service, list, "5", 5);
  EXPECT_EQ(in5.outcome, ScanOutcome::admitted);
  EXPECT_EQ(store.find_registration_by_token(sha256_hex("late-t5"))->state, AttendeeState::confirmed);
  // A phone that decided offline cannot give a waiting-list ticket a place.
  EXPECT_EQ(scan_one(service, list, "6", 6, true).refusal, ScanRefusal::waitlisted);
  EXPECT_EQ(scan_one(service, list, "7", 6).outcome, ScanOutcome::admitted);
  EXPECT_EQ(scan_one(service, list, "8", 7).refusal, ScanRefusal::waitlisted);  // no place left
  EXPECT_EQ(store.event_counts("late")->confirmed, 4);
  EXPECT_EQ(store.event_counts("late")->waitlisted, 1);
  EXPECT_EQ(store.checkin_status(list).inside, 4);

  // The figures: 6 held a place (4 at first, 2 at the door); 4 came; the 2 released did not.
  clock.set(kStart + 86400);
  NoShowReport report(store, clock);
  const auto figures = report.events(kNow, kStart + 86400);
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_EQ(figures[0].figures.registered, 6);
  EXPECT_EQ(figures[0].figures.checked_in, 4);
  EXPECT_EQ(figures[0].figures.no_shows, 2);
  EXPECT_EQ(figures[0].figures.cancelled, 0);
}

// The release racing admissions at two gates: four threads at once (PostgreSQL really runs them in
// parallel; SQLite serialises its writers). Whatever the order, nobody is both let in and released,
// the counter equals the confirmed registrations and never passes the capacity, and each place
// freed goes to at most one person waiting.
TYPED_TEST(DoorRelease_, ARaceOfReleaseAndAdmissionsKeepsEveryCountExact) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  DoorReleases releases(store, clock);
  store.upsert_events({an_event("late").title("Late show").at(kStart).venue("Club").registration(20, true)}, kNow);
  std::vector<RegistrationRequest> people;
  for (int n = 1; n <= 50; ++n) people.push_back(person(n));
  store.register_batch(people, kNow);  // 1–20 confirmed, 21–50 waiting
  OperationsChange change;
  change.door_release = "15";
  ASSERT_TRUE(offers.save("late", change, "ops").errors.empty());
  CheckinService service(store, store, store, clock);
  std::vector<std::int64_t> lists;
  for (const char* name : {"Front", "Side"}) {
    CheckinListInput in;
    in.name = name;
    in.events = {"late"};
    lists.push_back(std::get<std::int64_t>(service.create_list(in, "ops@example.org")));
  }
  clock.set(kStart + 960);
  std::vector<ScanResult> arrivals(20), waiting(30);
  std::atomic<int> arriving{2}, scanned{0};
  std::int64_t released = 0;
  std::vector<std::thread> threads;
  for (int gate = 0; gate < 2; ++gate)
    threads.emplace_back([&, gate] {  // the late ones arrive at both gates while the door releases
      for (int n = 1 + gate * 10; n <= 10 + gate * 10; ++n) {
        arrivals[n - 1] = scan_one(service, lists[gate], "a" + std::to_string(n), n);
        ++scanned;
      }
      --arriving;
    });
  threads.emplace_back([&] {  // once a few came in, the door presses "release" after each further arrival
    int seen = 0;
    while (arriving.load() > 0) {
      const int now_scanned = scanned.load();
      if (now_scanned >= 6 && now_scanned != seen) {
        seen = now_scanned;
        released += releases.release("late", "door@example.org").count;
      } else {
        std::this_thread::yield();
      }
    }
    released += releases.release("late", "door@example.org").count;
  });
  for (int gate = 0; gate < 2; ++gate)
    threads.emplace_back([&, gate] {  // 21–50 wait at both gates, alternating
      for (int n = 21 + gate; n <= 50; n += 2) waiting[n - 21] = scan_one(service, lists[gate], "w" + std::to_string(n), n);
    });
  for (auto& t : threads) t.join();

  // Nobody both let in and released.
  std::int64_t came = 0;
  for (int n = 1; n <= 20; ++n) {
    const auto g = store.find_registration_by_token(sha256_hex("late-t" + std::to_string(n)));
    if (arrivals[n - 1].outcome == ScanOutcome::admitted) {
      ++came;
      EXPECT_EQ(g->state, AttendeeState::confirmed) << n;
    } else {
      EXPECT_EQ(arrivals[n - 1].refusal, ScanRefusal::released) << n;
      EXPECT_EQ(g->state, AttendeeState::cancelled) << n;
    }
  }
  std::int64_t confirmed = 0, cancelled = 0, waiting_left = 0, let_in = 0;
  for (const auto& g : store.list_registrations("late", false)) {
    if (g.state == AttendeeState::confirmed) ++confirmed;
    if (g.state == AttendeeState::cancelled) ++cancelled;
    if (g.state == AttendeeState::waitlisted) ++waiting_left;
  }
  for (const auto& r : waiting)
    if (r.outcome == ScanOutcome::admitted) ++let_in;
    else EXPECT_EQ(r.refusal, ScanRefusal::waitlisted);
  const auto counts = *store.event_counts("late");
  EXPECT_EQ(counts.confirmed, confirmed);
  EXPECT_EQ(counts.waitlisted, waiting_left);
  EXPECT_LE(counts.confirmed, 20);
  EXPECT_EQ(cancelled, released);       // every cancellation is a release, each counted once
  EXPECT_EQ(came + released, 20);       // each of 1–20 either came or was released
  EXPECT_LE(let_in, released);          // each freed place to one person at most
  EXPECT_EQ(let_in + waiting_left, 30);
  EXPECT_EQ(store.checkin_status(lists[0]).inside + store.checkin_status(lists[1]).inside, came + let_in);
}
