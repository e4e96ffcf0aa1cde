// Registration behaviour of the store, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/event_key.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/store/sql_store.hpp"
#include "support/event_builder.hpp"
#include "support/recording_connection.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const UnixSeconds kNow = 1795000000;         // 2026-11-19
const UnixSeconds kStart = kNow + 86400 * 30;  // a month later

Event event(const std::string& key, std::optional<std::int64_t> capacity, bool waitlist) {
  return an_event(key).title("Workshop " + key).at(kStart, 7200).registration(capacity, waitlist);
}

RegistrationRequest request(const std::string& event_key, const std::string& who, const std::string& idem = "") {
  static std::atomic<int> n{0};
  const std::string unique = who + "#" + std::to_string(n++);
  RegistrationRequest r;
  r.event_key = event_key;
  r.name = "Attendee " + who;
  r.email = who + "@example.org";
  r.answers = {{"dietary", "Vegan"}};
  r.idempotency_key = idem;
  r.request_hash = sha256_hex(event_key + "|" + who);
  r.token_hash = sha256_hex("token:" + unique);
  r.ticket_code = sha256_hex("ticket:" + unique).substr(0, 12);
  return r;
}

// Waits, up to 10 s, until the PostgreSQL session `pid` waits for another
// transaction to end (a row it inserts or locks is that one's).
bool waits_for_a_transaction(SqlConnection& watcher, const std::string& pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto r = watcher.query("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST(? AS INTEGER) "
                                 "AND wait_event = 'transactionid'",
                                 Row{pid});
    if (r.at(0).at(0).value_or("0") != "0") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace

template <typename B>
using Registrations = StoreTest<B>;
TYPED_TEST_SUITE(Registrations, Backends, BackendNames);

TYPED_TEST(Registrations, CapacityIsNeverExceeded) {
  this->store_->upsert_events({event("small", 2, false)}, kNow);
  auto out = this->store_->register_batch({request("small", "a"), request("small", "b"), request("small", "c")}, kNow);
  EXPECT_EQ(out[0].result, RegisterResult::confirmed);
  EXPECT_EQ(out[1].result, RegisterResult::confirmed);
  EXPECT_EQ(out[2].result, RegisterResult::full);
  EXPECT_GT(out[1].registration.id, out[0].registration.id);
  auto counts = *this->store_->event_counts("small");
  EXPECT_EQ(counts.confirmed, 2);
  EXPECT_EQ(counts.waitlisted, 0);
  EXPECT_EQ(this->store_->list_registrations("small", false).size(), 2u);
}

TYPED_TEST(Registrations, WaitingListIsPromotedInOrderOnCancel) {
  this->store_->upsert_events({event("wl", 1, true)}, kNow);
  auto a = request("wl", "a"), b = request("wl", "b"), c = request("wl", "c");
  auto out = this->store_->register_batch({a, b, c}, kNow);
  EXPECT_EQ(out[0].result, RegisterResult::confirmed);
  EXPECT_EQ(out[1].result, RegisterResult::waitlisted);
  EXPECT_EQ(out[2].result, RegisterResult::waitlisted);
  EXPECT_EQ(out[1].registration.first_status, 202);

  auto cancelled = this->store_->cancel_registration(a.token_hash, kNow + 10, "attendee");
  ASSERT_EQ(cancelled.result, CancelResult::cancelled);
  ASSERT_TRUE(cancelled.promoted);
  EXPECT_EQ(cancelled.promoted->id, out[1].registration.id);  // first come, first served
  EXPECT_EQ(cancelled.promoted->state, AttendeeState::confirmed);
  auto counts = *this->store_->event_counts("wl");
  EXPECT_EQ(counts.confirmed, 1);
  EXPECT_EQ(counts.waitlisted, 1);

  auto b_now = *this->store_->find_registration_by_token(b.token_hash);
  ASSERT_EQ(b_now.moves.size(), 2u);
  EXPECT_EQ(b_now.moves[1].actor, "promotion");
  EXPECT_EQ(b_now.moves[1].from, AttendeeState::waitlisted);
  EXPECT_EQ(b_now.moves[1].at, kNow + 10);

  std::vector<std::string> kinds;
  for (const auto& m : this->store_->list_outbox()) kinds.push_back(m.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"registration_confirmed", "registration_waitlisted",
                                             "registration_waitlisted", "registration_cancelled", "waitlist_promoted"}));
  // A replay of the cancelled token.
  EXPECT_EQ(this->store_->cancel_registration(a.token_hash, kNow + 20, "attendee").result,
            CancelResult::already_cancelled);
  EXPECT_EQ(this->store_->cancel_registration("nope", kNow, "attendee").result, CancelResult::not_found);
}

// One batch over three events: a group each, in key order, the last group's
// writes on generic plans (PostgreSQL; plan_generically lasts to the commit,
// after every group's reads by event key). Each group is admitted as if alone: capacity
// kept, the waiting list joined, a replay answered with the stored
// registration, a second request of one e-mail refused; each registration has
// its first move. The next batch (a transaction of its own) is admitted the same.
TYPED_TEST(Registrations, ABatchOverSeveralEventsAdmitsEachGroupAsAlone) {
  this->store_->upsert_events({event("g-a", 2, false), event("g-b", 1, true), event("g-c", std::nullopt, false)}, kNow);
  const auto first = this->store_->register_batch({request("g-c", "x", "key-x")}, kNow)[0];
  ASSERT_EQ(first.result, RegisterResult::confirmed);
  const auto out = this->store_->register_batch({request("g-c", "y"), request("g-a", "a1"), request("g-c", "x", "key-x"),
                                                 request("g-b", "b1"), request("g-a", "a2"), request("g-b", "b2"),
                                                 request("g-a", "a3"), request("g-c", "y")},
                                                kNow + 1);
  const std::vector<RegisterResult> expected{RegisterResult::confirmed, RegisterResult::confirmed, RegisterResult::replayed,
                                             RegisterResult::confirmed, RegisterResult::confirmed, RegisterResult::waitlisted,
                                             RegisterResult::full,      RegisterResult::duplicate_email};
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].result, expected[i]) << i;
  EXPECT_EQ(out[2].registration.id, first.registration.id);
  EXPECT_EQ(out[2].registration.email, "x@example.org");
  EXPECT_EQ(this->store_->event_counts("g-a")->confirmed, 2);
  EXPECT_EQ(this->store_->event_counts("g-b")->confirmed, 1);
  EXPECT_EQ(this->store_->event_counts("g-b")->waitlisted, 1);
  EXPECT_EQ(this->store_->event_counts("g-c")->confirmed, 2);
  for (const char* key : {"g-a", "g-b", "g-c"}) {
    const auto registrations = this->store_->list_registrations(key, true);
    EXPECT_EQ(registrations.size(), 2u) << key;
    for (const Registration& r : registrations) {
      ASSERT_EQ(r.moves.size(), 1u) << r.email;
      EXPECT_EQ(r.moves[0].to, r.state) << r.email;
    }
  }
  const auto next = this->store_->register_batch({request("g-a", "a4"), request("g-b", "b3")}, kNow + 2);
  EXPECT_EQ(next[0].result, RegisterResult::full);
  EXPECT_EQ(next[1].result, RegisterResult::waitlisted);
}

// Where a batch turns to generic plans (issue 22): once, after the reads by
// event key of every group (the counter's lock, the e-mails), right before
// the last group's counter update and inserts. On PostgreSQL the update's
// prepared statement then counts one custom plan (the first group's) and
// one generic plan (the last group's), and the session is back on custom
// plans after the commit. Run through a store of one recorded connection.
TYPED_TEST(Registrations, ABatchWritesOnGenericPlansAfterItsReadsByEventKey) {
  this->store_->upsert_events({event("p-a", 5, false), event("p-b", 5, false)}, kNow);
  auto log = std::make_shared<std::vector<std::string>>();
  RecordingConnection* recorded = nullptr;
  SqlStore store(
      [&] {
        auto c = std::make_unique<RecordingConnection>(this->backend_.raw(), log);
        recorded = c.get();
        return c;
      },
      1);
  log->clear();
  const auto out = store.register_batch({request("p-b", "x1"), request("p-a", "y1"), request("p-b", "x2")}, kNow);
  for (const auto& o : out) EXPECT_EQ(o.result, RegisterResult::confirmed);
  ASSERT_NE(recorded, nullptr);

  std::vector<std::size_t> generic, reads_by_event, counter_updates;
  for (std::size_t i = 0; i < log->size(); ++i) {
    const std::string& sql = (*log)[i];
    if (sql == "plan_generically") generic.push_back(i);
    else if (sql.starts_with("UPDATE event_counters")) counter_updates.push_back(i);
    else if (sql.starts_with("SELECT") && sql.find("event_key = ?") != std::string::npos) reads_by_event.push_back(i);
  }
  ASSERT_EQ(generic.size(), 1u);
  ASSERT_EQ(counter_updates.size(), 2u);  // a group each
  ASSERT_GE(reads_by_event.size(), 4u);   // each group's lock and e-mails
  EXPECT_GT(generic[0], reads_by_event.back());
  EXPECT_GT(generic[0], counter_updates[0]);
  EXPECT_LT(generic[0], counter_updates[1]);

  if (std::is_same_v<TypeParam, PostgresBackend>) {
    SqlConnection& session = recorded->inner();
    EXPECT_EQ(session.query("SHOW plan_cache_mode").at(0).at(0).value_or(""), "force_custom_plan");
    const auto plans = session.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                                     "WHERE statement LIKE 'UPDATE event_counters SET confirmed = confirmed + %'");
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0][0].value_or(""), "1");
    EXPECT_EQ(plans[0][1].value_or(""), "1");
  }
}

// Issue 14: the personal page says where on the waiting list one is.
TYPED_TEST(Registrations, WaitingListPositionFollowsPromotionOrder) {
  this->store_->upsert_events({event("wlp", 1, true), event("other", 1, true)}, kNow);
  auto a = request("wlp", "a"), b = request("wlp", "b"), c = request("wlp", "c"), o = request("other", "o");
  auto out = this->store_->register_batch({a, b, o, c}, kNow);
  ASSERT_EQ(out[3].result, RegisterResult::waitlisted);
  EXPECT_EQ(this->store_->waitlist_position(out[0].registration.id), std::nullopt) << "confirmed: no position";
  EXPECT_EQ(this->store_->waitlist_position(out[1].registration.id), 1);
  EXPECT_EQ(this->store_->waitlist_position(out[3].registration.id), 2) << "other events' lists do not count";
  ASSERT_EQ(this->store_->cancel_registration(a.token_hash, kNow + 10, "attendee").result, CancelResult::cancelled);
  EXPECT_EQ(this->store_->waitlist_position(out[1].registration.id), std::nullopt) << "b was promoted";
  EXPECT_EQ(this->store_->waitlist_position(out[3].registration.id), 1);
  EXPECT_EQ(this->store_->waitlist_position(999999), std::nullopt);
}

TYPED_TEST(Registrations, DuplicateEmailAndIdempotency) {
  this->store_->upsert_events({event("dup", 10, false)}, kNow);
  auto first = this->store_->register_batch({request("dup", "a", "key-1")}, kNow)[0];
  ASSERT_EQ(first.result, RegisterResult::confirmed);
  // Same key, same request: the first answer again, no second row.
  auto again = this->store_->register_batch({request("dup", "a", "key-1")}, kNow + 1)[0];
  EXPECT_EQ(again.result, RegisterResult::replayed);
  EXPECT_EQ(again.registration.id, first.registration.id);
  EXPECT_EQ(again.registration.first_status, 201);
  // Same key, another request.
  EXPECT_EQ(this->store_->register_batch({request("dup", "b", "key-1")}, kNow)[0].result,
            RegisterResult::idempotency_mismatch);
  // Same e-mail, no key.
  EXPECT_EQ(this->store_->register_batch({request("dup", "a")}, kNow)[0].result, RegisterResult::duplicate_email);
  EXPECT_EQ(this->store_->list_registrations("dup", false).size(), 1u);
  EXPECT_EQ(this->store_->event_counts("dup")->confirmed, 1);
}

// A batch of 40 among hundreds of registrations of the same event (the
// e-mail lookup is one index seek per e-mail, issue 22): exactly the taken
// e-mails are refused; a cancelled one may register again; another event's are free.
TYPED_TEST(Registrations, DuplicateEmailsInALargeBatchOfAFullishEvent) {
  this->store_->upsert_events({event("hot", 1000, false), event("other", 10, false)}, kNow);
  std::vector<RegistrationRequest> first;
  for (int i = 0; i < 300; ++i) first.push_back(request("hot", "p" + std::to_string(i)));
  for (const auto& o : this->store_->register_batch(first, kNow)) ASSERT_EQ(o.result, RegisterResult::confirmed);
  this->store_->register_batch({request("other", "q1")}, kNow);
  this->store_->cancel_registration(first[0].token_hash, kNow, "test");  // p0
  std::vector<RegistrationRequest> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(request("hot", (i % 10 == 0 ? "p" : "q") + std::to_string(i)));
  const auto out = this->store_->register_batch(batch, kNow + 1);
  for (int i = 0; i < 40; ++i) {
    // p10, p20, p30 are taken (p0 was cancelled); q1 is registered for the other event only.
    const bool taken = i % 10 == 0 && i > 0;
    EXPECT_EQ(out[i].result, taken ? RegisterResult::duplicate_email : RegisterResult::confirmed) << batch[i].email;
  }
  EXPECT_EQ(this->store_->event_counts("hot")->confirmed, 300 - 1 + 40 - 3);
}

TYPED_TEST(Registrations, ClosedAndUnknownEvents) {
  Event started = event("started", 5, false);
  started.starts_at = kNow - 60;
  Event draft = event("draft", 5, false);
  draft.status = EventStatus::draft;
  Event off = event("off", 5, false);
  off.registration = false;
  this->store_->upsert_events({started, draft, off}, kNow);
  for (const char* key : {"started", "draft", "off"})
    EXPECT_EQ(this->store_->register_batch({request(key, "a")}, kNow)[0].result, RegisterResult::registration_closed) << key;
  EXPECT_EQ(this->store_->register_batch({request("missing", "a")}, kNow)[0].result, RegisterResult::event_not_found);
}

TYPED_TEST(Registrations, CheckIn) {
  this->store_->upsert_events({event("door", 1, true)}, kNow);
  auto out = this->store_->register_batch({request("door", "a"), request("door", "b")}, kNow);
  auto first = this->store_->check_in(out[0].registration.ticket_code, kNow + 100, "door");
  EXPECT_EQ(first.result, CheckinResult::checked_in);
  EXPECT_EQ(first.registration.checked_in_at, kNow + 100);
  auto second = this->store_->check_in(out[0].registration.ticket_code, kNow + 200, "door");
  EXPECT_EQ(second.result, CheckinResult::already_checked_in);
  EXPECT_EQ(second.registration.checked_in_at, kNow + 100);
  EXPECT_EQ(this->store_->check_in(out[1].registration.ticket_code, kNow, "door").result, CheckinResult::not_confirmed);
  EXPECT_EQ(this->store_->check_in("unknown", kNow, "door").result, CheckinResult::not_found);
  EXPECT_EQ(this->store_->event_counts("door")->confirmed, 1);  // a checked-in attendee keeps the place
}

// Issue 14: a door for one event refuses another event's ticket and changes nothing.
TYPED_TEST(Registrations, ADoorForOneEventRefusesAnothersTicket) {
  this->store_->upsert_events({event("hall", 5, false), event("yard", 5, false)}, kNow);
  auto out = this->store_->register_batch({request("hall", "a")}, kNow);
  const std::string code = out[0].registration.ticket_code;
  auto wrong = this->store_->check_in(code, kNow + 100, "door", "yard");
  EXPECT_EQ(wrong.result, CheckinResult::other_event);
  EXPECT_EQ(wrong.registration.event_key, "hall");
  EXPECT_FALSE(this->store_->find_registration(out[0].registration.id)->checked_in_at);
  EXPECT_EQ(this->store_->check_in(code, kNow + 200, "door", "hall").result, CheckinResult::checked_in);
  EXPECT_EQ(this->store_->check_in(code, kNow + 300, "door", "yard").result, CheckinResult::other_event)
      << "the wrong door says so even after entry";
}

TYPED_TEST(Registrations, CapacityChangesThroughImports) {
  this->store_->upsert_events({event("cap", 3, true)}, kNow);
  this->store_->register_batch({request("cap", "a"), request("cap", "b"), request("cap", "c"), request("cap", "d"),
                                request("cap", "e")},
                               kNow);
  // Lowering below the confirmed count is refused, and nothing changes.
  Event lower = event("cap", 2, true);
  lower.title = "Renamed";
  try {
    this->store_->upsert_events({lower}, kNow);
    FAIL() << "expected CapacityBelowConfirmed";
  } catch (const CapacityBelowConfirmed& e) {
    EXPECT_NE(std::string(e.what()).find("capacity 2 is below its 3 confirmed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(this->store_->find_event("cap")->title, "Workshop cap");
  // Raising it promotes the waiting list in order.
  this->store_->upsert_events({event("cap", 4, true)}, kNow + 5);
  auto counts = *this->store_->event_counts("cap");
  EXPECT_EQ(counts.confirmed, 4);
  EXPECT_EQ(counts.waitlisted, 1);
  auto regs = this->store_->list_registrations("cap", false);
  EXPECT_EQ(regs[3].state, AttendeeState::confirmed);
  EXPECT_EQ(regs[4].state, AttendeeState::waitlisted);
}

TYPED_TEST(Registrations, ErasureAndRetention) {
  Event past = event("past", 10, false);
  past.retention_days = 30;
  this->store_->upsert_events({event("keep", 10, false), past}, kNow);
  auto kept = this->store_->register_batch({request("keep", "a")}, kNow)[0].registration;
  auto old = this->store_->register_batch({request("past", "b")}, kNow)[0].registration;

  ASSERT_TRUE(this->store_->erase_registration(kept.id, kNow + 1, "operator"));
  auto erased = *this->store_->find_registration(kept.id);
  EXPECT_EQ(erased.name, "");
  EXPECT_EQ(erased.email, "");
  EXPECT_TRUE(erased.answers.empty());
  EXPECT_EQ(erased.state, AttendeeState::confirmed);  // the place stays
  EXPECT_EQ(erased.erased_at, kNow + 1);
  EXPECT_EQ(this->store_->event_counts("keep")->confirmed, 1);
  EXPECT_FALSE(this->store_->erase_registration(999999, kNow, "operator"));

  // Retention: nothing before end + 30 days, everything after.
  EXPECT_EQ(this->store_->purge_expired_registrations(kStart + 7200 + 29 * 86400), 0);
  EXPECT_EQ(this->store_->purge_expired_registrations(kStart + 7200 + 31 * 86400), 1);
  EXPECT_EQ(this->store_->find_registration(old.id)->email, "");
  for (const auto& r : this->store_->list_registrations("", false)) EXPECT_TRUE(r.email.empty()) << r.id;
}

// An imported event has no counter row: its counts are its capacity and
// zeros until its first registration makes the row, which then holds every
// place as before (and its CHECK still refuses more than the capacity).
TYPED_TEST(Registrations, AnImportedEventsCounterRowIsMadeByItsFirstRegistration) {
  this->store_->upsert_events({event("fresh", 2, true)}, kNow);
  auto db = this->backend_.raw();
  const std::string row = "SELECT capacity, confirmed, waitlisted FROM event_counters WHERE event_key = ?";
  EXPECT_TRUE(db->query(row, Row{"fresh"}).empty());
  const auto before = this->store_->event_counts("fresh");
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->capacity, std::optional<std::int64_t>(2));
  EXPECT_EQ(before->confirmed, 0);
  EXPECT_FALSE(this->store_->event_counts("no-such-event").has_value());

  const auto out = this->store_->register_batch({request("fresh", "a"), request("fresh", "b"), request("fresh", "c")}, kNow);
  EXPECT_EQ(out[0].result, RegisterResult::confirmed);
  EXPECT_EQ(out[1].result, RegisterResult::confirmed);
  EXPECT_EQ(out[2].result, RegisterResult::waitlisted);
  const auto made = db->query(row, Row{"fresh"});
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0][0], std::optional<std::string>("2"));
  EXPECT_EQ(made[0][1], std::optional<std::string>("2"));
  EXPECT_EQ(made[0][2], std::optional<std::string>("1"));
  EXPECT_THROW(db->query("UPDATE event_counters SET confirmed = 3 WHERE event_key = ?", Row{"fresh"}), StoreError);
  EXPECT_EQ(this->store_->register_batch({request("fresh", "d")}, kNow)[0].result, RegisterResult::waitlisted);
  EXPECT_EQ(this->store_->event_counts("fresh")->confirmed, 2);
}

// Many counters locked at once (a revert, a delete of many events), more
// than one read's 500 keys: each missing row made with its event's place
// limit (with its overbooking), a key without an event skipped, a row
// already there left as it is; on PostgreSQL every row is held until the
// transaction ends.
TYPED_TEST(Registrations, LockCountersMakesAndLocksEveryEventsRow) {
  std::vector<Event> events{event("m-a", 10, false), event("m-b", std::nullopt, false), event("m-c", 5, false),
                            event("m-o", 10, false)};
  for (int i = 0; i < 600; ++i) events.push_back(event("n-" + std::to_string(i), 3, false));
  this->store_->upsert_events(events, kNow);
  ASSERT_EQ(this->store_->register_batch({request("m-c", "x")}, kNow)[0].result, RegisterResult::confirmed);
  EventOperations ops;
  ops.overbook_percent = 10;
  ASSERT_TRUE(this->store_->set_event_operations("m-o", ops, kNow, AuditEntry{0, kNow, "owner", "event_operations", "m-o", "", ""}));
  auto db = this->backend_.raw();
  db->query("DELETE FROM event_counters WHERE event_key = ?", Row{"m-o"});  // its row as if never made
  std::vector<std::string> keys{"m-b", "m-a", "m-none", "m-c", "m-o", "m-a"};
  for (int i = 599; i >= 0; --i) keys.push_back("n-" + std::to_string(i));
  keys.push_back("n-0");
  db->begin();
  lock_counters(*db, keys);
  if constexpr (std::is_same_v<TypeParam, PostgresBackend>) {
    auto other = this->backend_.raw();
    // The row that was there: locked. The rows made: their inserts not yet
    // committed, so another insert of the key must wait (here: give up).
    EXPECT_THROW(other->query("SELECT 1 FROM event_counters WHERE event_key = ? FOR UPDATE NOWAIT", Row{"m-c"}), StoreError);
    other->exec("SET lock_timeout = '100ms'");
    for (const std::string key : {"m-a", "n-599"})
      EXPECT_THROW(other->query("INSERT INTO event_counters (event_key) VALUES (?) ON CONFLICT DO NOTHING", Row{key}), StoreError)
          << key;
  }
  db->commit();
  const auto rows = db->query("SELECT event_key, capacity, confirmed FROM event_counters WHERE event_key LIKE 'm-%' ORDER BY event_key");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{"m-a", "10", "0"}));
  EXPECT_EQ(rows[1], (Row{"m-b", std::nullopt, "0"}));
  EXPECT_EQ(rows[2], (Row{"m-c", "5", "1"}));
  EXPECT_EQ(rows[3], (Row{"m-o", "11", "0"}));
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters WHERE event_key LIKE 'n-%' AND capacity = 3").at(0).at(0),
            std::optional<std::string>("600"));
}

// Two transactions making one event's counter row at once (PostgreSQL): the
// second waits for the first, then locks the first's row when it commits,
// makes its own when it rolls back, and makes none when it deleted the event.
TYPED_TEST(Registrations, ACounterRowMadeByTwoTransactionsAtOnce) {
  if constexpr (std::is_same_v<TypeParam, SqliteBackend>) GTEST_SKIP() << "SQLite has one writer at a time";
  for (const std::string end : {"commit", "rollback", "delete"}) {
    const std::string key = "race-" + end;
    this->store_->upsert_events({event(key, 4, false)}, kNow);
    auto first = this->backend_.raw(), second = this->backend_.raw(), watcher = this->backend_.raw();
    const std::string second_pid = second->query("SELECT pg_backend_pid()").at(0).at(0).value_or("");
    first->begin();  // as a registration batch does (begin_write would take the writers' lock)
    ASSERT_TRUE(lock_counter(*first, key).has_value()) << end;
    if (end == "delete") {
      first->query("DELETE FROM events WHERE key = ?", Row{key});
      first->query("DELETE FROM event_counters WHERE event_key = ?", Row{key});
    }
    std::optional<EventCounts> seen;
    std::string error;
    std::thread other([&] {
      try {
        second->begin();
        seen = lock_counter(*second, key);
        second->commit();
      } catch (const std::exception& e) {
        error = e.what();
        second->rollback();
      }
    });
    EXPECT_TRUE(waits_for_a_transaction(*watcher, second_pid)) << end;
    if (end == "rollback") first->rollback();
    else first->commit();
    other.join();
    EXPECT_EQ(error, "") << end;
    if (end == "delete") {
      EXPECT_FALSE(seen.has_value());
    } else {
      ASSERT_TRUE(seen.has_value()) << end;
      EXPECT_EQ(seen->capacity, std::optional<std::int64_t>(4)) << end;
    }
    EXPECT_EQ(watcher->query("SELECT COUNT(*) FROM event_counters WHERE event_key = ?", Row{key}).at(0).at(0),
              std::optional<std::string>(end == "delete" ? "0" : "1"))
        << end;
  }
}

// Both events are imported without counter rows: the threads' first
// registrations race to make them (on PostgreSQL, INSERT … ON CONFLICT DO
// NOTHING waits for the transaction that made the row first).
TYPED_TEST(Registrations, ConcurrentThreadsNeverOverbook) {
  this->store_->upsert_events({event("hot", 25, true), event("cold", 10, false)}, kNow);
  std::atomic<int> confirmed{0}, waitlisted{0}, full{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto store = this->reopen();  // its own connections, like another process
      for (int i = 0; i < 12; ++i) {
        const std::string key = (i % 3 == 0) ? "cold" : "hot";
        auto out = store->register_batch({request(key, "t" + std::to_string(t) + "-" + std::to_string(i))}, kNow)[0];
        if (out.result == RegisterResult::confirmed) ++confirmed;
        else if (out.result == RegisterResult::waitlisted) ++waitlisted;
        else if (out.result == RegisterResult::full) ++full;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(this->store_->event_counts("hot")->confirmed, 25);
  EXPECT_EQ(this->store_->event_counts("cold")->confirmed, 10);
  EXPECT_EQ(confirmed.load(), 35);
  EXPECT_EQ(waitlisted.load(), 64 - 25);
  EXPECT_EQ(full.load(), 32 - 10);
  EXPECT_EQ(this->store_->list_registrations("", false).size(), 35u + 39u);
}

TYPED_TEST(Registrations, OneBatchHandlesRetriesDuplicatesAndSeveralEvents) {
  this->store_->upsert_events({event("b1", 2, true), event("b2", 1, false)}, kNow);
  auto x = request("b1", "x", "same-key");
  auto x_retry = x;  // a concurrent retry arriving in the same batch
  x_retry.token_hash = sha256_hex("other");
  x_retry.ticket_code = "RETRYCODE001";
  auto out = this->store_->register_batch(
      {x, request("b2", "p"), x_retry, request("b1", "y"), request("b1", "y"), request("b1", "z"), request("b2", "q")},
      kNow);
  EXPECT_EQ(out[0].result, RegisterResult::confirmed);
  EXPECT_EQ(out[1].result, RegisterResult::confirmed);
  EXPECT_EQ(out[2].result, RegisterResult::replayed);
  EXPECT_EQ(out[2].registration.id, out[0].registration.id);
  EXPECT_EQ(out[3].result, RegisterResult::confirmed);
  EXPECT_EQ(out[4].result, RegisterResult::duplicate_email);
  EXPECT_EQ(out[5].result, RegisterResult::waitlisted);
  EXPECT_EQ(out[6].result, RegisterResult::full);
  EXPECT_LT(out[0].registration.id, out[3].registration.id);  // arrival order is the first-come order
  EXPECT_LT(out[3].registration.id, out[5].registration.id);
  EXPECT_EQ(this->store_->list_registrations("b1", false).size(), 3u);
  EXPECT_EQ(this->store_->event_counts("b1")->confirmed, 2);
  EXPECT_EQ(this->store_->event_counts("b1")->waitlisted, 1);
  EXPECT_EQ(this->store_->list_outbox().size(), 4u);
  auto moves = this->store_->find_registration(out[5].registration.id)->moves;
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].to, AttendeeState::waitlisted);
}

#include "app/import_service.hpp"

TYPED_TEST(Registrations, ImportRefusesACapacityBelowConfirmedByLine) {
  this->store_->upsert_events({event("imp", 5, false)}, kNow);
  this->store_->register_batch({request("imp", "a"), request("imp", "b"), request("imp", "c")}, kNow);
  const ManualClock clock(kNow);
  const std::string csv =
      "key,title,starts_at,ends_at,time_zone,capacity,registration\n"
      "imp,Workshop imp,2026-12-19 10:00,12:00,Europe/Berlin,2,true\n"
      "other,Other,2026-12-19 10:00,12:00,Europe/Berlin,2,true\n";
  auto r = import_bytes(format_readers(), this->store_.get(), csv, "lower.csv", ImportOptions{}, clock);
  ASSERT_TRUE(r.ok()) << r.fatal;
  EXPECT_EQ(r.inserted, 1);
  ASSERT_EQ(r.error_count(), 1);
  const auto& issue = r.issues.front();
  EXPECT_EQ(issue.line, 2);
  EXPECT_EQ(issue.field, "capacity");
  EXPECT_NE(issue.message.find("capacity 2 is below the 3 confirmed registrations"), std::string::npos) << issue.message;
  EXPECT_EQ(this->store_->find_event("imp")->capacity, 5);
}

// With overbooking the rule is the place limit: capacity 2 at 50 % holds the 3
// confirmed places, capacity 1 (limit 1) does not.
TYPED_TEST(Registrations, ImportMeasuresACapacityAgainstThePlaceLimit) {
  this->store_->upsert_events({event("imp", 5, false)}, kNow);
  this->store_->register_batch({request("imp", "a"), request("imp", "b"), request("imp", "c")}, kNow);
  EventOperations ops;
  ops.overbook_percent = 50;
  ASSERT_TRUE(this->store_->set_event_operations("imp", ops, kNow, AuditEntry{0, kNow, "owner", "event_operations", "imp", "", ""}));
  EXPECT_EQ(this->store_->overbook_percents(), (std::map<std::string, int>{{"imp", 50}}));
  const ManualClock clock(kNow);
  const std::string header = "key,title,starts_at,ends_at,time_zone,capacity,registration\n";
  auto kept = import_bytes(format_readers(), this->store_.get(),
                           header + "imp,Workshop imp,2026-12-19 10:00,12:00,Europe/Berlin,2,true\n", "limit.csv",
                           ImportOptions{}, clock);
  ASSERT_TRUE(kept.ok()) << kept.fatal;
  EXPECT_EQ(kept.error_count(), 0);
  EXPECT_EQ(kept.updated, 1);
  EXPECT_EQ(this->store_->find_event("imp")->capacity, 2);
  auto refused = import_bytes(format_readers(), this->store_.get(),
                              header + "imp,Workshop imp,2026-12-19 10:00,12:00,Europe/Berlin,1,true\n", "limit.csv",
                              ImportOptions{}, clock);
  ASSERT_EQ(refused.error_count(), 1);
  EXPECT_NE(refused.issues.front().message.find("capacity 1 is below the 3 confirmed registrations"), std::string::npos);
  EXPECT_EQ(this->store_->find_event("imp")->capacity, 2);
}
