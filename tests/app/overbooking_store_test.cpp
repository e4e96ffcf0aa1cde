// Overbooking and no-show figures (issue 21, no-show management) on SQLite
// and PostgreSQL: an overbooked event confirms up to its place limit and no
// further, the public count never shows more places than the room has, the
// overbooking cannot be lowered below the confirmed places and raising it
// fills places from the waiting list; the door refuses entry once the room's
// capacity of the event's attendees is inside; the no-show figures put each
// registration in one class, and the risk comes from earlier events.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/checkins.hpp"
#include "app/no_show_report.hpp"
#include "app/place_offers.hpp"
#include "core/event_key.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 5;

// Ticket codes in the alphabet normalize_ticket_code keeps as they are: TK, the event's number, n.
std::string code_of(const std::string& event, int n) {
  const std::vector<std::string> events{"talk", "gig", "other", "ws-a", "ws-b", "ws-c"};
  const auto i = std::find(events.begin(), events.end(), event) - events.begin();
  char buf[32];
  std::snprintf(buf, sizeof buf, "TK%d%05d", static_cast<int>(i) + 1, n);
  return buf;
}

RegistrationRequest person(const std::string& event, int n) {
  RegistrationRequest r;
  r.event_key = event;
  r.name = "Attendee " + std::to_string(n);
  r.email = "p" + std::to_string(n) + "@example.org";
  r.request_hash = sha256_hex(event + std::to_string(n));
  r.token_hash = sha256_hex(event + "t" + std::to_string(n));
  r.ticket_code = code_of(event, n);
  return r;
}

std::vector<RegisterOutcome> join(Store& store, const std::string& event, int from, int to, UnixSeconds at = kNow) {
  std::vector<RegistrationRequest> people;
  for (int n = from; n <= to; ++n) people.push_back(person(event, n));
  return store.register_batch(people, at);
}

OperationsSaved overbook(WaitingListOffers& offers, const std::string& key, const std::string& percent) {
  OperationsChange change;
  change.overbook = percent;
  return offers.save(key, change, "ops@example.org");
}

std::vector<ScanResult> ok(std::variant<std::vector<ScanResult>, FieldErrors> r) {
  if (auto* e = std::get_if<FieldErrors>(&r)) {
    ADD_FAILURE() << e->front().first << ": " << e->front().second;
    return {};
  }
  return std::get<std::vector<ScanResult>>(r);
}

}  // namespace

template <typename B>
using Overbooking = StoreTest<B>;
TYPED_TEST_SUITE(Overbooking, Backends, BackendNames);

TYPED_TEST(Overbooking, ConfirmsUpToThePlaceLimitAndNeverShowsMoreThanTheRoom) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  store.upsert_events({an_event("talk").title("Talk").at(kStart).registration(10, true)}, kNow);
  EXPECT_EQ(overbook(offers, "talk", "101").errors.size(), 1u);
  EXPECT_EQ(overbook(offers, "talk", "many").errors.size(), 1u);
  ASSERT_TRUE(overbook(offers, "talk", "20 %").errors.empty());
  EXPECT_EQ(offers.operations("talk").overbook_percent, 20);
  EXPECT_EQ(store.event_counts("talk")->capacity, 12);

  // 1 confirmed: the public count is against the room, so all 10 places show as free (never 11).
  join(store, "talk", 1, 1);
  EXPECT_EQ(store.taken_counts().at("talk"), 0);
  // 8 confirmed: 4 of the 12 places are free, shown as 10 − 6.
  join(store, "talk", 2, 8);
  EXPECT_EQ(store.taken_counts().at("talk"), 6);
  const auto out = join(store, "talk", 9, 13);
  EXPECT_EQ(out[0].result, RegisterResult::confirmed);  // 9, 10: the room
  EXPECT_EQ(out[3].result, RegisterResult::confirmed);  // 11, 12: the overbooked places
  EXPECT_EQ(out[4].result, RegisterResult::waitlisted);  // 13: beyond the place limit
  EXPECT_EQ(store.event_counts("talk")->confirmed, 12);
  EXPECT_EQ(store.taken_counts().at("talk"), 10);  // full, exactly at the place limit

  // Lowering below the confirmed places: refused, nothing saved, nobody loses a place.
  const auto lowered = overbook(offers, "talk", "10");
  ASSERT_EQ(lowered.errors.size(), 1u);
  EXPECT_EQ(lowered.errors[0].first, "overbook_percent");
  EXPECT_NE(lowered.errors[0].second.find("11 places"), std::string::npos) << lowered.errors[0].second;
  EXPECT_EQ(offers.operations("talk").overbook_percent, 20);
  EXPECT_EQ(store.event_counts("talk")->capacity, 12);

  // Raising it: the place limit grows and the next person waiting is confirmed.
  ASSERT_TRUE(overbook(offers, "talk", "30").errors.empty());
  EXPECT_EQ(store.event_counts("talk")->capacity, 13);
  EXPECT_EQ(store.event_counts("talk")->confirmed, 13);
  EXPECT_EQ(store.find_registration(out[4].registration.id)->state, AttendeeState::confirmed);

  // An edit of the capacity keeps the overbooking: 12 × 1.3 = 15 places.
  auto e = *store.find_event("talk");
  e.capacity = 12;
  ASSERT_EQ(store.edit_event(e, e.version, kNow + 1).result, EditResult::updated);
  EXPECT_EQ(store.event_counts("talk")->capacity, 15);
  // and an edit below the confirmed places with overbooking is refused as before.
  e = *store.find_event("talk");
  e.capacity = 9;  // 9 × 1.3 = 11 < 13
  EXPECT_THROW(store.edit_event(e, e.version, kNow + 2), CapacityBelowConfirmed);

  // Switched off again (after cancellations) the place limit is the capacity.
  for (int n = 1; n <= 3; ++n) store.cancel_registration(sha256_hex("talkt" + std::to_string(n)), kNow + 3, "attendee");
  ASSERT_TRUE(overbook(offers, "talk", "off").errors.empty());
  EXPECT_EQ(store.event_counts("talk")->capacity, 12);
  EXPECT_EQ(store.event_counts("talk")->confirmed, 10);
}

TYPED_TEST(Overbooking, TheDoorRefusesEntryOnceTheRoomIsFull) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  store.upsert_events({an_event("gig").title("Gig").at(kStart).venue("Club").registration(4),
                       an_event("other").title("Other").at(kStart).venue("Club").registration(10)},
                      kNow);
  ASSERT_TRUE(overbook(offers, "gig", "50").errors.empty());
  join(store, "gig", 1, 6);
  join(store, "other", 1, 3);
  CheckinService service(store, store, store, clock);
  CheckinListInput club;
  club.name = "Club door";
  club.events = {"gig", "other"};
  club.allow_reentry = true;
  const auto made = service.create_list(club, "ops@example.org");
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(made));
  const auto list = std::get<std::int64_t>(made);
  auto scan = [&](const std::string& id, const std::string& event, int who, const std::string& dir = "entry", bool offline = false) {
    return ok(service.scan(list, {ScanInputText{"gate", id, code_of(event, who), dir, kStart, offline}})).at(0);
  };
  // Four of the gig's six fill its room of 4 (one batch of three and one alone); the fifth is refused.
  const auto batch = ok(service.scan(list, {ScanInputText{"gate", "1", code_of("gig", 1), "entry", kStart, false},
                                            ScanInputText{"gate", "2", code_of("gig", 2), "entry", kStart, false},
                                            ScanInputText{"gate", "3", code_of("gig", 3), "entry", kStart, false}}));
  for (const auto& r : batch) EXPECT_EQ(r.outcome, ScanOutcome::admitted);
  EXPECT_EQ(scan("4", "gig", 4).outcome, ScanOutcome::admitted);
  const auto full = scan("5", "gig", 5);
  EXPECT_EQ(full.outcome, ScanOutcome::refused);
  EXPECT_EQ(full.refusal, ScanRefusal::room_full);
  // Another event at the same door is not held back by the gig's room.
  EXPECT_EQ(scan("6", "other", 1).outcome, ScanOutcome::admitted);
  // One out, one in.
  EXPECT_EQ(scan("7", "gig", 1, "exit").outcome, ScanOutcome::exited);
  EXPECT_EQ(scan("8", "gig", 5).outcome, ScanOutcome::admitted);
  EXPECT_EQ(scan("9", "gig", 6).refusal, ScanRefusal::room_full);
  // A phone that was offline let the sixth in already: recorded, not refused.
  EXPECT_EQ(scan("10", "gig", 6, "entry", true).outcome, ScanOutcome::admitted);
  EXPECT_EQ(store.checkin_status(list).inside, 6);  // 5 of the gig, 1 of the other
}

TYPED_TEST(Overbooking, NoShowFiguresAndTheRiskFromEarlierEvents) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  WaitingListOffers offers(store, clock);
  NoShowReport report(store, clock);
  // Two past workshops (25 held places, 20 came) and the one to overbook.
  store.upsert_events({an_event("ws-a").title("Workshop A").at(kNow + 3600).category("Workshop").registration(15, true),
                       an_event("ws-b").title("Workshop B").at(kNow + 7200).category("Workshop").registration(20),
                       an_event("ws-c").title("Workshop C").at(kStart).category("Workshop").registration(10)},
                      kNow - 86400);
  join(store, "ws-a", 1, 16, kNow - 86400);  // 15 confirmed, 1 waiting
  join(store, "ws-b", 1, 12, kNow - 86400);
  store.cancel_registration(sha256_hex("ws-at1"), kNow - 3600, "attendee");  // 16 is promoted
  CheckinService service(store, store, store, clock);
  CheckinListInput door;
  door.name = "Workshop door";
  door.events = {"ws-a", "ws-b"};
  const auto list = std::get<std::int64_t>(service.create_list(door, "ops@example.org"));
  std::vector<ScanInputText> scans;
  for (int n = 2; n <= 13; ++n) scans.push_back(ScanInputText{"gate", "a" + std::to_string(n), code_of("ws-a", n), "entry", kNow + 3600, false});
  for (int n = 1; n <= 8; ++n) scans.push_back(ScanInputText{"gate", "b" + std::to_string(n), code_of("ws-b", n), "entry", kNow + 7200, false});
  ok(service.scan(list, scans));
  clock.set(kNow + 86400);

  const auto events = report.events(kNow - 86400, kNow + 86400 * 30);
  ASSERT_EQ(events.size(), 2u);  // ws-c has not started
  const NoShowFigures& a = events[0].figures;
  EXPECT_EQ(events[0].event_key, "ws-a");
  EXPECT_EQ(a.registered, 16);  // 15 at first, plus the one promoted
  EXPECT_EQ(a.cancelled, 1);
  EXPECT_EQ(a.checked_in, 12);
  EXPECT_EQ(a.no_shows, 3);     // 14, 15, 16
  EXPECT_EQ(a.expected(), 15);
  EXPECT_DOUBLE_EQ(*a.no_show_rate(), 3.0 / 15);
  EXPECT_EQ(events[1].figures.checked_in, 8);
  EXPECT_EQ(events[1].figures.no_shows, 4);
  const auto cats = NoShowReport::categories(events);
  ASSERT_EQ(cats.size(), 1u);
  EXPECT_EQ(cats[0].category, "Workshop");
  EXPECT_EQ(cats[0].figures.events, 2);
  EXPECT_EQ(cats[0].figures.expected(), 27);
  EXPECT_EQ(cats[0].figures.checked_in, 20);

  // The risk of 10 % overbooking at ws-c (11 places, room 10) from 20 of 27 who came, once a day has
  // passed since those workshops (before, they are too fresh to say who came).
  ASSERT_TRUE(overbook(offers, "ws-c", "10").errors.empty());
  EXPECT_FALSE(report.risk("ws-c").has_value());
  clock.set(kNow + 3 * 86400);
  const auto risk = report.risk("ws-c");
  ASSERT_TRUE(risk.has_value());
  EXPECT_EQ(risk->scope, "category 'Workshop'");
  EXPECT_EQ(risk->places, 11);
  EXPECT_EQ(risk->room, 10);
  EXPECT_EQ(risk->history_events, 2);
  EXPECT_DOUBLE_EQ(risk->show_rate, 20.0 / 27);
  EXPECT_NEAR(risk->overflow_chance, overflow_chance(11, 10, 20.0 / 27), 1e-12);
  EXPECT_GT(risk->overflow_chance, 0.03);
  EXPECT_LT(risk->overflow_chance, 0.05);  // p^11 for p = 0.74: about 3.7 %
  EXPECT_FALSE(report.risk("nope").has_value());
}
