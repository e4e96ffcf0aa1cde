// Door operations (issue 19) on SQLite and PostgreSQL: check-in lists and
// their rules through CheckinService, re-entry, occupancy under concurrent
// entries and exits from four devices, idempotent batch upload, and the
// resolution of a ticket let in by two offline devices.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/checkins.hpp"
#include "core/event_key.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 30;

// Ticket codes in the alphabet normalize_ticket_code keeps as they are.
std::string code_of(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "TK%06d", n);
  return buf;
}

RegistrationRequest person(const std::string& event, int n) {
  RegistrationRequest r;
  r.event_key = event;
  r.name = "Attendee " + std::to_string(n);
  r.email = "p" + std::to_string(n) + "@example.org";
  r.request_hash = sha256_hex(event + std::to_string(n));
  r.token_hash = sha256_hex("t" + std::to_string(n));
  r.ticket_code = code_of(n);
  return r;
}

ScanInputText scan(const std::string& device, const std::string& id, int who, const std::string& direction = "entry",
                   std::optional<UnixSeconds> at = std::nullopt, bool offline = false) {
  return ScanInputText{device, id, code_of(who), direction, at, offline};
}

std::vector<ScanResult> ok(std::variant<std::vector<ScanResult>, FieldErrors> r) {
  if (auto* e = std::get_if<FieldErrors>(&r)) {
    ADD_FAILURE() << e->front().first << ": " << e->front().second;
    return {};
  }
  return std::get<std::vector<ScanResult>>(r);
}

std::int64_t made(std::variant<std::int64_t, FieldErrors> r) {
  if (auto* e = std::get_if<FieldErrors>(&r)) {
    ADD_FAILURE() << e->front().first << ": " << e->front().second;
    return 0;
  }
  return std::get<std::int64_t>(r);
}

}  // namespace

template <typename B>
using Checkins = StoreTest<B>;
TYPED_TEST_SUITE(Checkins, Backends, BackendNames);

TYPED_TEST(Checkins, ListsRulesReentryAndOccupancyByVenue) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({an_event("a").title("A").at(kStart).venue("Speicherhalle").registration(100),
                       an_event("b").title("B").at(kStart).venue("Speicherhalle").registration(100),
                       an_event("c").title("C").at(kStart).venue("Aula").registration(100),
                       an_event("full").title("Full").at(kStart).venue("Aula").registration(1, true)},
                      kNow);
  store.register_batch({person("a", 1), person("b", 2), person("c", 3), person("full", 4), person("full", 5)}, kNow);
  CheckinService service(store, store, store, clock);

  // Field errors, nothing stored.
  auto bad = service.create_list(CheckinListInput{" ", {"nope"}, "", "", false, kNow + 10, kNow, 0, 150, {}}, "ops@example.org");
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad));
  EXPECT_EQ(std::get<FieldErrors>(bad).size(), 5u);  // name, events, closes_at, room_capacity, alarm_percent
  EXPECT_TRUE(store.list_checkin_lists().empty());

  // "All events of a venue", no re-entry; audited.
  CheckinListInput door;
  door.name = "Speicherhalle main door";
  door.venue = "Speicherhalle";
  door.room_capacity = 2;
  const auto main = made(service.create_list(door, "ops@example.org"));
  const auto list = store.find_checkin_list(main);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->event_keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(list->allow_reentry);
  const auto audit = store.list_audit(10);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "checkin_list_create");
  EXPECT_EQ(audit.front().actor, "ops@example.org");

  auto r = ok(service.scan(main, {scan("gate-1", "s1", 1), scan("gate-2", "s2", 1), scan("gate-1", "s3", 3),
                                  {"gate-1", "s4", "ZZZZ2222", "entry", std::nullopt, false}, scan("gate-1", "s5", 1, "exit"),
                                  scan("gate-1", "s6", 1), scan("gate-2", "s7", 2)}));
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0].outcome, ScanOutcome::admitted);
  EXPECT_EQ(r[0].attendee_name, "Attendee 1");
  EXPECT_EQ(r[0].event_key, "a");
  EXPECT_EQ(r[1].refusal, ScanRefusal::already_inside);
  EXPECT_EQ(r[1].presence.entered_device, "gate-1");  // where it entered…
  EXPECT_EQ(r[1].presence.entered_at, kNow);          // …and when
  EXPECT_EQ(r[2].refusal, ScanRefusal::other_event);
  EXPECT_EQ(r[3].refusal, ScanRefusal::unknown_code);
  EXPECT_EQ(r[4].outcome, ScanOutcome::exited);
  EXPECT_EQ(r[5].refusal, ScanRefusal::no_reentry);
  EXPECT_EQ(r[6].outcome, ScanOutcome::admitted);
  auto status = store.checkin_status(main);
  EXPECT_EQ(status.inside, 1);
  EXPECT_EQ(status.entries, 2);
  EXPECT_EQ(status.exits, 1);
  ASSERT_EQ(status.venues.size(), 1u);
  EXPECT_EQ(status.venues[0], (std::pair<std::string, std::int64_t>{"Speicherhalle", 1}));

  // The same upload again: every answer replayed, nothing counted twice.
  auto again = ok(service.scan(main, {scan("gate-1", "s1", 1), scan("gate-1", "s5", 1, "exit")}));
  EXPECT_TRUE(again[0].replayed);
  EXPECT_EQ(again[0].outcome, ScanOutcome::admitted);
  EXPECT_EQ(again[1].outcome, ScanOutcome::exited);
  EXPECT_EQ(store.checkin_status(main).entries, 2);

  // A re-entry list for one event: in, out, in again.
  CheckinListInput side;
  side.name = "Side door";
  side.events = {"a"};
  side.allow_reentry = true;
  const auto reentry = made(service.create_list(side, "ops@example.org"));
  auto re = ok(service.scan(reentry, {scan("d", "r1", 1), scan("d", "r2", 1, "exit"), scan("d", "r3", 1), scan("d", "r4", 2)}));
  EXPECT_EQ(re[2].outcome, ScanOutcome::admitted);
  EXPECT_EQ(re[2].presence.entries, 2);
  EXPECT_EQ(re[3].refusal, ScanRefusal::other_event);
  status = store.checkin_status(reentry);
  EXPECT_EQ(status.inside, 1);
  EXPECT_EQ(status.entries, 2);
  EXPECT_EQ(status.exits, 1);

  // Waitlisted attendees stay out; opening hours close the list.
  CheckinListInput evening;
  evening.name = "Aula evening";
  evening.events = {"full"};
  evening.opens_at = kNow - 60;
  evening.closes_at = kNow + 3600;
  const auto aula = made(service.create_list(evening, "ops@example.org"));
  auto w = ok(service.scan(aula, {scan("x", "w1", 5), scan("x", "w2", 4), scan("x", "w3", 4, "exit", kNow + 3600)}));
  EXPECT_EQ(w[0].refusal, ScanRefusal::waitlisted);
  EXPECT_EQ(w[1].outcome, ScanOutcome::admitted);
  EXPECT_EQ(w[2].refusal, ScanRefusal::list_closed);

  // A bad scan in a batch: field errors, nothing of the batch recorded.
  auto invalid = service.scan(main, {scan("gate-1", "t1", 2, "exit"), scan("", "t2", 2), scan("gate-1", "t3", 2, "sideways")});
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(invalid));
  EXPECT_EQ(std::get<FieldErrors>(invalid)[0].first, "scans[1].device");
  EXPECT_EQ(std::get<FieldErrors>(invalid)[1].first, "scans[2].direction");
  EXPECT_EQ(store.checkin_status(main).exits, 1);
  EXPECT_THROW(service.scan(999999, {scan("gate-1", "u1", 1)}), std::invalid_argument);
}

TYPED_TEST(Checkins, FourDevicesAtOnceKeepOccupancyExact) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({an_event("big").title("Big").at(kStart).venue("Hall").registration(1000)}, kNow);
  std::vector<RegistrationRequest> people;
  for (int n = 1; n <= 200; ++n) people.push_back(person("big", n));
  store.register_batch(people, kNow);
  CheckinService service(store, store, store, clock);
  CheckinListInput hall;
  hall.name = "Hall";
  hall.events = {"big"};
  hall.allow_reentry = true;
  const auto list = made(service.create_list(hall, "ops@example.org"));

  // Each device lets its own 50 people in, out and in again, one scan per request; all four also
  // try the same 20 people (1–20) at the same moment.
  std::atomic<int> admitted_shared{0}, refused_shared{0};
  std::vector<std::thread> devices;
  for (int d = 0; d < 4; ++d)
    devices.emplace_back([&, d] {
      const std::string device = "gate-" + std::to_string(d);
      int id = 0;
      for (int k = 0; k < 20; ++k) {
        auto r = ok(service.scan(list, {scan(device, std::to_string(++id), 1 + k)}));
        if (r.at(0).outcome == ScanOutcome::admitted) ++admitted_shared;
        else if (r.at(0).refusal == ScanRefusal::already_inside) ++refused_shared;
      }
      for (int n = 21 + d * 45; n < 21 + (d + 1) * 45; ++n)
        for (const char* dir : {"entry", "exit", "entry"}) {
          auto r = ok(service.scan(list, {scan(device, std::to_string(++id), n, dir)}));
          EXPECT_NE(r.at(0).outcome, ScanOutcome::refused) << device << " " << n << " " << dir;
        }
    });
  for (auto& t : devices) t.join();
  EXPECT_EQ(admitted_shared.load(), 20);  // each shared ticket let in once
  EXPECT_EQ(refused_shared.load(), 60);   // and refused at the three other gates
  const auto status = store.checkin_status(list);
  EXPECT_EQ(status.inside, 20 + 180);
  EXPECT_EQ(status.entries, 20 + 360);
  EXPECT_EQ(status.exits, 180);
  ASSERT_EQ(status.venues.size(), 1u);
  EXPECT_EQ(status.venues[0].second, 200);
}

TYPED_TEST(Checkins, TwoOfflineDevicesTheEarlierScanHoldsTheOtherIsFlagged) {
  Store& store = *this->store_;
  ManualClock clock(kNow + 600);
  store.upsert_events({an_event("gig").title("Gig").at(kStart).venue("Club").registration(100)}, kNow);
  store.register_batch({person("gig", 1), person("gig", 2)}, kNow);
  CheckinService service(store, store, store, clock);
  CheckinListInput club;
  club.name = "Club door";
  club.events = {"gig"};
  const auto list = made(service.create_list(club, "ops@example.org"));

  // Device B comes back online first, with a scan made at +120; device A scanned the same ticket at +100.
  auto b = ok(service.scan(list, {scan("B", "b1", 1, "entry", kNow + 120, true), scan("B", "b2", 2, "entry", kNow + 130, true)}));
  EXPECT_EQ(b[0].outcome, ScanOutcome::admitted);
  auto a = ok(service.scan(list, {scan("A", "a1", 1, "entry", kNow + 100, true)}));
  EXPECT_EQ(a[0].outcome, ScanOutcome::admitted);  // the earlier scan holds…
  EXPECT_EQ(a[0].presence.entered_device, "A");
  EXPECT_EQ(a[0].presence.entered_at, kNow + 100);
  auto replay = ok(service.scan(list, {scan("B", "b1", 1, "entry", kNow + 120, true)}));
  EXPECT_TRUE(replay[0].replayed);
  EXPECT_EQ(replay[0].outcome, ScanOutcome::duplicate);  // …and B's is now the flagged duplicate
  EXPECT_TRUE(replay[0].flagged);
  // A later offline scan of a ticket inside is a duplicate, never a refusal the door could not act on.
  auto c = ok(service.scan(list, {scan("C", "c1", 2, "entry", kNow + 300, true)}));
  EXPECT_EQ(c[0].outcome, ScanOutcome::duplicate);
  EXPECT_TRUE(c[0].flagged);
  const auto status = store.checkin_status(list);
  EXPECT_EQ(status.inside, 2);   // nothing lost, nobody counted twice
  EXPECT_EQ(status.entries, 2);
  EXPECT_EQ(status.duplicates, 2);

  // The console's flagged duplicates, newest first, with the attendee they concern.
  const auto flagged = store.checkin_scans(list, true, 10);
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0].scan_id, "c1");
  EXPECT_EQ(flagged[1].scan_id, "b1");
  EXPECT_EQ(flagged[1].attendee_name, "Attendee 1");
  EXPECT_EQ(flagged[1].outcome, ScanOutcome::duplicate);
  EXPECT_TRUE(flagged[1].decided_offline);
  EXPECT_EQ(flagged[1].scanned_at, kNow + 120);
  EXPECT_EQ(flagged[1].received_at, kNow + 600);
  const auto all = store.checkin_scans(list, false, 3);
  ASSERT_EQ(all.size(), 3u);  // the limit holds
  EXPECT_EQ(all[0].scan_id, "c1");
  EXPECT_EQ(all[2].scan_id, "b2");
  EXPECT_TRUE(store.checkin_scans(999999, false, 10).empty());

  // The same story inside one upload (scans written together): the earlier scan still holds, and a
  // replay later in the batch answers the row as it stands.
  CheckinListInput side;
  side.name = "Side door";
  side.events = {"gig"};
  const auto side_list = made(service.create_list(side, "ops@example.org"));
  auto one = ok(service.scan(side_list, {scan("B", "s1", 1, "entry", kNow + 120, true), scan("A", "s1", 1, "entry", kNow + 100, true),
                                         scan("B", "s1", 1, "entry", kNow + 120, true), scan("A", "s1", 1, "entry", kNow + 100, true)}));
  EXPECT_EQ(one[0].outcome, ScanOutcome::admitted);
  EXPECT_EQ(one[1].outcome, ScanOutcome::admitted);
  EXPECT_EQ(one[1].presence.entered_device, "A");
  EXPECT_TRUE(one[2].replayed);
  EXPECT_EQ(one[2].outcome, ScanOutcome::duplicate);
  EXPECT_TRUE(one[2].flagged);
  EXPECT_TRUE(one[3].replayed);
  EXPECT_EQ(one[3].outcome, ScanOutcome::admitted);
  const auto side_status = store.checkin_status(side_list);
  EXPECT_EQ(side_status.inside, 1);
  EXPECT_EQ(side_status.entries, 1);
  EXPECT_EQ(side_status.duplicates, 1);
  const auto side_flagged = store.checkin_scans(side_list, true, 10);
  ASSERT_EQ(side_flagged.size(), 1u);
  EXPECT_EQ(side_flagged[0].device, "B");
}

TYPED_TEST(Checkins, EditedListsDoorUsersAndTheDoorList) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({an_event("talk").title("Talk").at(kStart).venue("Aula").registration(1, true),
                       an_event("film").title("Film").at(kStart).venue("Kino").registration(10)},
                      kNow);
  auto p3 = person("talk", 3);
  p3.name = "Zoe Example";
  store.register_batch({person("talk", 1), person("talk", 2), p3, person("film", 4)}, kNow);
  for (const auto& email : {"door1@example.org", "door2@example.org", "viewer@example.org"})
    store.add_user(User{0, email, "x", std::string(email).starts_with("viewer") ? Role::viewer : Role::door, kNow, false});
  CheckinService service(store, store, store, clock);

  CheckinListInput aula;
  aula.name = "Aula";
  aula.events = {"talk"};
  aula.door_users = {"Door1@example.org", "viewer@example.org", "nobody@example.org"};
  auto bad = service.create_list(aula, "ops@example.org");
  ASSERT_TRUE(std::holds_alternative<FieldErrors>(bad));
  ASSERT_EQ(std::get<FieldErrors>(bad).size(), 2u);
  EXPECT_EQ(std::get<FieldErrors>(bad)[0].second, "viewer@example.org cannot check tickets in (role viewer)");
  EXPECT_EQ(std::get<FieldErrors>(bad)[1].second, "there is no console user nobody@example.org");
  aula.door_users = {"Door1@example.org"};
  const auto a = made(service.create_list(aula, "ops@example.org"));
  CheckinListInput kino;
  kino.name = "Kino";
  kino.events = {"film"};
  const auto k = made(service.create_list(kino, "ops@example.org"));
  EXPECT_EQ(store.find_checkin_list(a)->door_users, std::vector<std::string>{"door1@example.org"});

  // door1 is assigned to Aula only; door2 to nothing, so may choose among all; operations see all.
  EXPECT_EQ(service.lists_for("door1@example.org", Role::door).size(), 1u);
  EXPECT_TRUE(service.may_use(a, "door1@example.org", Role::door));
  EXPECT_FALSE(service.may_use(k, "door1@example.org", Role::door));
  EXPECT_EQ(service.lists_for("door2@example.org", Role::door).size(), 2u);
  EXPECT_TRUE(service.may_use(k, "ops@example.org", Role::operations));
  EXPECT_TRUE(service.may_use(k, "", std::nullopt));  // a staff token

  // An edit: renamed, re-entry on, the film added, door2 assigned as well; occupancy stays.
  ok(service.scan(a, {scan("g", "1", 1)}));
  aula.name = "Aula and Kino";
  aula.events = {"talk", "film"};
  aula.allow_reentry = true;
  aula.door_users = {"door1@example.org", "door2@example.org"};
  auto edited = service.update_list(a, aula, "ops@example.org");
  ASSERT_TRUE(std::holds_alternative<bool>(edited));
  EXPECT_TRUE(std::get<bool>(edited));
  const auto after = store.find_checkin_list(a);
  EXPECT_EQ(after->name, "Aula and Kino");
  EXPECT_TRUE(after->allow_reentry);
  EXPECT_EQ(after->event_keys, (std::vector<std::string>{"film", "talk"}));
  EXPECT_EQ(after->door_users, (std::vector<std::string>{"door1@example.org", "door2@example.org"}));
  EXPECT_EQ(store.checkin_status(a).inside, 1);
  EXPECT_EQ(store.list_audit(1).front().action, "checkin_list_update");
  EXPECT_FALSE(service.may_use(k, "door2@example.org", Role::door));  // assigned now
  EXPECT_FALSE(std::get<bool>(service.update_list(999999, aula, "ops@example.org")));
  auto unnamed = aula;
  unnamed.name = "";
  EXPECT_TRUE(std::holds_alternative<FieldErrors>(service.update_list(a, unnamed, "ops@example.org")));

  // The door list: every ticket of the list's events that is not erased, by name, with state and presence.
  const auto tickets = store.door_tickets(a);
  ASSERT_EQ(tickets.size(), 4u);
  EXPECT_EQ(tickets[0].name, "Attendee 1");
  EXPECT_EQ(tickets[0].ticket_code, code_of(1));
  EXPECT_TRUE(tickets[0].presence.inside);
  EXPECT_EQ(tickets[0].presence.entered_device, "g");
  EXPECT_EQ(tickets[1].state, AttendeeState::waitlisted);  // Attendee 2: the talk holds one
  EXPECT_FALSE(tickets[1].presence.inside);
  EXPECT_EQ(tickets[2].event_key, "film");
  EXPECT_EQ(tickets[3].name, "Zoe Example");
  EXPECT_TRUE(store.door_tickets(999999).empty());
}

TYPED_TEST(Checkins, SignedTicketQrCodesCountAndForgedOnesAreUnknown) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({an_event("gig").title("Gig").at(kStart).venue("Club").registration(10)}, kNow);
  store.register_batch({person("gig", 1), person("gig", 2)}, kNow);
  TokenSecret secret([](const std::string&, const std::string& fresh) { return fresh; });
  TicketSigner signer(secret);
  CheckinService service(store, store, store, clock, &signer);
  CheckinListInput club;
  club.name = "Club door";
  club.events = {"gig"};
  const auto list = made(service.create_list(club, "ops@example.org"));
  const auto gig = store.find_event("gig");
  const std::string real = signer.payload(code_of(1), *gig);
  // Signed with another key (another installation's, or a forger's): forged here.
  std::array<unsigned char, 32> seed{};
  seed.fill(1);
  const std::string forged = sign_ticket(TicketClaim{code_of(2), "gig", kStart + 86400}, ticket_signing_key(seed));
  auto r = ok(service.scan(list, {{"gate", "1", real, "entry", std::nullopt, false},
                                  {"gate", "2", forged, "entry", std::nullopt, false},
                                  {"gate", "3", code_of(2), "entry", std::nullopt, false}}));
  EXPECT_EQ(r[0].outcome, ScanOutcome::admitted);
  EXPECT_EQ(r[0].attendee_name, "Attendee 1");
  EXPECT_EQ(r[1].refusal, ScanRefusal::unknown_code);
  EXPECT_EQ(r[2].outcome, ScanOutcome::admitted);  // plain codes keep working
  EXPECT_EQ(store.checkin_status(list).inside, 2);
  EXPECT_EQ(service.ticket_key().size(), 43u);
}
