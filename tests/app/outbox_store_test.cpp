// The outbox on SQLite and PostgreSQL: rows written by publishes in the same
// transaction, folding, exclusive claims, and the delivery outcomes.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "app/publisher.hpp"
#include "core/event_key.hpp"
#include "support/registration_request.hpp"
#include "support/store_fixture.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const UnixSeconds kNow = 1795000000;
const UnixSeconds kStart = kNow + 86400 * 30;

Event event(const std::string& key) { return an_event(key).title("Talk " + key).at(kStart).registration(100, true); }

// Publishes with a 600 s quiet period and a 3600 s cap.
PublishResult publish(Store& store, ManualClock& clock) {
  Publisher p(store, clock);
  p.set_notify_settings(NotifySettings{default_notify_fields(), 600, 3600}, "test");
  return p.publish("test", "");
}

std::vector<OutboxMessage> changed_rows(Store& store) {
  std::vector<OutboxMessage> out;
  for (auto& m : store.list_outbox())
    if (m.kind == "event_changed") out.push_back(m);
  return out;
}

}  // namespace

template <typename B>
using Outbox = StoreTest<B>;
TYPED_TEST_SUITE(Outbox, Backends, BackendNames);

TYPED_TEST(Outbox, PublishWritesOneRowPerAttendeeAndFoldsLaterChanges) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({event("a"), event("b")}, kNow);
  publish(store, clock);  // snapshot 1
  store.register_batch({a_registration("a", "ana"), a_registration("a", "bo"), a_registration("b", "cy")}, kNow);
  // Move a; retitle b (title is not an attendee field by default).
  Event a = event("a");
  a.starts_at += 3600;
  a.ends_at += 3600;
  Event b = event("b");
  b.title = "Renamed";
  store.upsert_events({a, b}, kNow + 10);
  clock.set(kNow + 10);
  auto r = publish(store, clock);  // snapshot 2
  EXPECT_EQ(r.notices, 2);
  auto rows = changed_rows(store);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& m : rows) {
    EXPECT_EQ(m.event_key, "a");
    EXPECT_EQ(m.state, "pending");
    EXPECT_EQ(m.base_snapshot, 1);
    EXPECT_EQ(m.snapshot_number, 2);
    EXPECT_EQ(m.due_at, kNow + 10 + 600);
    EXPECT_EQ(m.dedup_key, "event_changed:" + std::to_string(*m.registration_id) + ":2");
  }
  // The sequence moved for both changed events.
  EXPECT_EQ(store.event_sequences().at("a"), 1);
  EXPECT_EQ(store.event_sequences().at("b"), 1);

  // Four more edits within the quiet period fold into the same rows; the due
  // time moves with the last change but never past first change + 3600.
  for (int i = 1; i <= 4; ++i) {
    a.room = "Room " + std::to_string(i);
    store.upsert_events({a}, kNow + 10 + i * 100);
    clock.set(kNow + 10 + i * 100);
    publish(store, clock);
  }
  rows = changed_rows(store);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& m : rows) {
    EXPECT_EQ(m.base_snapshot, 1);
    EXPECT_EQ(m.snapshot_number, 6);
    EXPECT_EQ(m.revision, 4);
    EXPECT_EQ(m.due_at, kNow + 10 + 400 + 600);
  }
  a.room = "Room 9";
  store.upsert_events({a}, kNow + 3500);
  clock.set(kNow + 3500);
  publish(store, clock);
  for (const auto& m : changed_rows(store)) EXPECT_EQ(m.due_at, kNow + 10 + 3600);  // capped
  EXPECT_EQ(store.event_sequences().at("a"), 6);
}

TYPED_TEST(Outbox, ClaimsAreExclusiveAndOutcomesAreGuardedByTheClaim) {
  Store& store = *this->store_;
  store.upsert_events({event("a")}, kNow);
  std::vector<RegistrationRequest> reqs;
  for (int i = 0; i < 60; ++i) reqs.push_back(a_registration("a", "p" + std::to_string(i)));
  store.register_batch(reqs, kNow);
  const auto counts = store.outbox_counts(kNow);
  EXPECT_EQ(counts.pending, 60);
  EXPECT_EQ(counts.due, 60);
  // Metrics see the same backlog, by kind (one kind here), with its oldest due time.
  const auto backlog = store.outbox_backlog(kNow);
  ASSERT_EQ(backlog.size(), 1u);
  EXPECT_FALSE(backlog[0].kind.empty());
  EXPECT_EQ(backlog[0].pending, 60);
  EXPECT_EQ(backlog[0].due, 60);
  EXPECT_EQ(backlog[0].oldest_due_created_at, kNow);
  EXPECT_GE(store.health().connections_opened, 1u);
  EXPECT_GE(store.health().open_connections, 1);

  // Four workers claim concurrently: every row goes to exactly one of them.
  std::mutex m;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&, w] {
      for (;;) {
        auto rows = store.claim_outbox(kNow, 7, 300, "w" + std::to_string(w));
        if (rows.empty()) break;
        std::lock_guard lock(m);
        for (const auto& r : rows) {
          seen.insert(r.message.id);
          EXPECT_EQ(r.email.substr(0, 1), "p");
          EXPECT_EQ(r.token_sealed.substr(0, 7), "sealed-");
          EXPECT_EQ(r.message.attempts, 1);
        }
      }
    });
  for (auto& t : workers) t.join();
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 60u);
  // Claimed rows are not claimed again while the lease runs…
  EXPECT_TRUE(store.claim_outbox(kNow + 299, 100, 300, "late").empty());
  // …but are after it expired (a crashed worker), with the attempt counted.
  auto again = store.claim_outbox(kNow + 301, 100, 300, "late");
  ASSERT_EQ(again.size(), 60u);
  EXPECT_EQ(again[0].message.attempts, 2);

  const auto& first = again[0].message;
  EXPECT_FALSE(store.mark_outbox_sent(first.id, "someone-else", first.revision, std::nullopt, kNow + 302));
  EXPECT_TRUE(store.mark_outbox_sent(first.id, "late", first.revision, std::nullopt, kNow + 302));
  // A graceful stop gives back a claimed row it did not try: free at once, the attempt taken back;
  // only the claiming worker can, and only once.
  const auto& given_back = again[4].message;
  EXPECT_FALSE(store.release_outbox(given_back.id, "someone-else", kNow + 302));
  EXPECT_TRUE(store.release_outbox(given_back.id, "late", kNow + 302));
  EXPECT_FALSE(store.release_outbox(given_back.id, "late", kNow + 302));
  auto retaken = store.claim_outbox(kNow + 302, 100, 300, "next");
  ASSERT_EQ(retaken.size(), 1u);
  EXPECT_EQ(retaken[0].message.id, given_back.id);
  EXPECT_EQ(retaken[0].message.attempts, 2);  // the expired first claim counts; the released one was taken back
  store.release_outbox(given_back.id, "next", kNow + 302);
  store.reschedule_outbox(again[1].message.id, "late", kNow + 900, "connection refused", kNow + 302);
  store.close_outbox(again[2].message.id, "late", "failed", "550 5.1.1 mailbox unavailable", kNow + 302);
  store.close_outbox(again[3].message.id, "late", "skipped", "erased", kNow + 302);
  auto c = store.outbox_counts(kNow + 400);
  EXPECT_EQ(c.sent, 1);
  EXPECT_EQ(c.failed, 1);
  EXPECT_EQ(c.skipped, 1);
  EXPECT_EQ(c.pending, 57);
  EXPECT_EQ(c.due, 56);  // the rescheduled row is not due before kNow + 900
  auto failed = store.recent_outbox("failed", 10);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "550 5.1.1 mailbox unavailable");
  EXPECT_TRUE(store.retry_outbox(failed[0].id, kNow + 500));
  EXPECT_FALSE(store.retry_outbox(failed[0].id, kNow + 500));  // no longer failed
  EXPECT_EQ(store.outbox_counts(kNow + 500).failed, 0);

  // Issue 13, item 18: after an outage, everything pending is due at once;
  // finished rows are untouched.
  EXPECT_EQ(store.make_outbox_due(kNow + 400), 2);  // rescheduled to kNow + 900, retried at kNow + 500
  auto now = store.outbox_counts(kNow + 400);
  EXPECT_EQ(now.due, now.pending);
  EXPECT_EQ(now.sent, 1);
  const auto after = store.outbox_backlog(kNow + 400);  // sent, failed and skipped rows are not backlog
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].pending, now.pending);
  EXPECT_EQ(after[0].due, now.due);
  EXPECT_EQ(store.make_outbox_due(kNow + 400), 0);
}

TYPED_TEST(Outbox, AFoldDuringDeliveryKeepsTheRowPendingWithANewBase) {
  Store& store = *this->store_;
  ManualClock clock(kNow);
  store.upsert_events({event("a")}, kNow);
  publish(store, clock);
  store.register_batch({a_registration("a", "ana")}, kNow);
  Event a = event("a");
  a.room = "Hall 1";
  store.upsert_events({a}, kNow + 1);
  clock.set(kNow + 1);
  publish(store, clock);  // snapshot 2: pending row, due kNow + 601
  auto claimed = store.claim_outbox(kNow + 700, 100, 300, "w");
  std::optional<OutboxDelivery> row;
  for (auto& d : claimed)
    if (d.message.kind == "event_changed") row = d;
  ASSERT_TRUE(row);
  // While it is being sent, another change is published: the held row is not
  // folded; the attendee gets a new row for the newer change.
  a.room = "Hall 2";
  store.upsert_events({a}, kNow + 701);
  clock.set(kNow + 701);
  publish(store, clock);  // snapshot 3
  auto rows = changed_rows(store);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].base_snapshot, 2);
  EXPECT_TRUE(store.mark_outbox_sent(row->message.id, "w", row->message.revision, 2, kNow + 702));
  EXPECT_EQ(changed_rows(store)[0].state, "sent");
  EXPECT_EQ(changed_rows(store)[1].state, "pending");
}

// A sender's accepted messages are marked in one transaction (issue 22):
// each mark is judged as mark_outbox_sent would judge it alone.
TYPED_TEST(Outbox, SentMarksInOneTransactionEachAsAlone) {
  Store& store = *this->store_;
  store.upsert_events({event("a")}, kNow);
  store.register_batch({a_registration("a", "x"), a_registration("a", "y"), a_registration("a", "z"),
                        a_registration("a", "w")}, kNow);
  auto mine = store.claim_outbox(kNow, 3, 300, "w");
  auto theirs = store.claim_outbox(kNow, 1, 300, "other");
  ASSERT_EQ(mine.size(), 3u);
  ASSERT_EQ(theirs.size(), 1u);
  const auto mark = [](const OutboxDelivery& d, std::int64_t revision) {
    return OutboxStore::SentMark{d.message.id, revision, std::nullopt, kNow + 5};
  };
  const auto out = store.mark_outbox_sent_many(
      {mark(mine[0], mine[0].message.revision), mark(mine[1], mine[1].message.revision + 1),  // folded meanwhile
       mark(theirs[0], theirs[0].message.revision),                                            // not this worker's
       mark(mine[2], mine[2].message.revision)},
      "w");
  EXPECT_EQ(out, (std::vector<bool>{true, false, false, true}));
  EXPECT_EQ(store.find_outbox(mine[0].message.id)->message.state, "sent");
  EXPECT_EQ(store.find_outbox(mine[0].message.id)->message.sent_at, std::optional<UnixSeconds>(kNow + 5));
  EXPECT_EQ(store.find_outbox(mine[1].message.id)->message.state, "pending");
  EXPECT_EQ(store.find_outbox(theirs[0].message.id)->message.state, "pending");
  EXPECT_EQ(store.find_outbox(mine[2].message.id)->message.state, "sent");
  // The folded row's lease ended with the mark: it is due again at once.
  const auto again = store.claim_outbox(kNow + 6, 10, 300, "w2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message.id, mine[1].message.id);
  EXPECT_TRUE(store.mark_outbox_sent_many({}, "w").empty());
  // An id given twice is marked once: the repeat is judged as a second mark alone would be.
  EXPECT_EQ(store.mark_outbox_sent_many({mark(again[0], again[0].message.revision), mark(again[0], again[0].message.revision)},
                                        "w2"),
            (std::vector<bool>{true, false}));
  EXPECT_EQ(store.find_outbox(again[0].message.id)->message.state, "sent");
}

TYPED_TEST(Outbox, FinishedRowsArePurgedAfterTheirKeepTimePendingOnesNever) {
  Store& store = *this->store_;
  store.upsert_events({event("a")}, kNow);
  store.register_batch({a_registration("a", "x"), a_registration("a", "y"), a_registration("a", "z")}, kNow);
  auto rows = store.claim_outbox(kNow, 2, 300, "w");
  ASSERT_EQ(rows.size(), 2u);
  store.mark_outbox_sent(rows[0].message.id, "w", rows[0].message.revision, std::nullopt, kNow + 10);
  store.close_outbox(rows[1].message.id, "w", "failed", "550", kNow + 20);
  EXPECT_EQ(store.purge_outbox(kNow + 10), 0);  // nothing finished before then
  EXPECT_EQ(store.purge_outbox(kNow + 11), 1);  // the sent row
  EXPECT_EQ(store.purge_outbox(kNow + 86400), 1);  // the failed row; the pending one stays
  const auto left = store.list_outbox();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].state, "pending");
}

TYPED_TEST(Outbox, NotifiableCountsSkipCancelledAndErased) {
  Store& store = *this->store_;
  store.upsert_events({event("a")}, kNow);
  auto out = store.register_batch({a_registration("a", "x"), a_registration("a", "y"), a_registration("a", "z")}, kNow);
  store.erase_registration(out[2].registration.id, kNow, "test");
  EXPECT_EQ(store.notifiable_counts({"a", "nope"}), (std::map<std::string, std::int64_t>{{"a", 2}}));
}

// Issue 13, item 11: "send me my link again" queues one message per active
// registration of the address, for one event or all, due now; nothing for
// an unknown address or a cancelled registration; repeated requests are
// separate messages (the rate limit, not the store, bounds them).
TYPED_TEST(Outbox, LinkResendQueuesOneRowPerActiveRegistration) {
  Store& store = *this->store_;
  store.upsert_events({event("a"), event("b")}, kNow);
  auto regs = store.register_batch({a_registration("a", "ana"), a_registration("b", "ana"), a_registration("a", "bo")}, kNow);
  ASSERT_EQ(regs.size(), 3u);
  auto count = [&] {
    std::int64_t n = 0;
    for (const auto& m : store.list_outbox()) n += m.kind == "registration_link";
    return n;
  };
  EXPECT_EQ(store.enqueue_link_resend("ana@example.org", "a", kNow + 10), 1);
  EXPECT_EQ(store.enqueue_link_resend("ana@example.org", "", kNow + 11), 2);
  EXPECT_EQ(store.enqueue_link_resend("nobody@example.org", "", kNow + 12), 0);
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(store.enqueue_link_resend("ana@example.org", "a", kNow + 11), 1);  // the same second: still its own message
  EXPECT_EQ(count(), 4);
  const auto due = store.claim_outbox(kNow + 12, 100, 300, "w");
  std::int64_t links = 0;
  for (const auto& d : due)
    if (d.message.kind == "registration_link") {
      ++links;
      EXPECT_EQ(d.email, "ana@example.org");
      EXPECT_EQ(d.token_sealed, "sealed-ana");
    }
  EXPECT_EQ(links, 4);
}
