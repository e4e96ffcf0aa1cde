// Publishing on SQLite and PostgreSQL: snapshots, changelog, rollback.
#include <gtest/gtest.h>

#include "app/publisher.hpp"
#include "app/snapshot_codec.hpp"
#include "support/store_fixture.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
const ManualClock kClock(1795000000);
Event event(const std::string& key, const std::string& title) { return an_event(key).title(title); }
}  // namespace

template <typename B>
using Publishing = StoreTest<B>;
TYPED_TEST_SUITE(Publishing, Backends, BackendNames);

TYPED_TEST(Publishing, PublishFreezesTheWorkingStateAndRollbackIsRecorded) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  EXPECT_FALSE(store.live_snapshot_number());
  Event draft = event("draft", "Draft");
  draft.status = EventStatus::draft;
  store.upsert_events({event("a", "A"), event("b", "B"), draft}, 1);
  auto first = publisher.publish("alice", "first");
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.snapshot.number, 1);
  EXPECT_EQ(first.snapshot.event_count, 2);
  EXPECT_EQ(first.changes.size(), 2u);  // both added
  EXPECT_EQ(store.live_snapshot_number(), 1);

  // Nothing changed: no new snapshot.
  EXPECT_TRUE(publisher.publish("alice", "again").unchanged);
  EXPECT_EQ(store.list_snapshots().size(), 1u);

  // An edit is invisible until published; the diff shows it first.
  Event moved = event("a", "A");
  moved.room = "Hall 2";
  store.upsert_events({moved, event("c", "C")}, 2);
  EXPECT_EQ(store.live_snapshot_number(), 1);
  auto pending = publisher.pending_changes();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].event_key, "a");
  EXPECT_EQ(pending[0].fields, std::vector<std::string>{"room"});
  EXPECT_EQ(pending[1].kind, ChangeKind::added);
  auto second = publisher.publish("bob", "room change");
  EXPECT_EQ(second.snapshot.number, 2);
  EXPECT_EQ(store.snapshot_changes(2), pending);
  EXPECT_EQ(decode_snapshot(store.snapshot(2)->payload).size(), 3u);
  EXPECT_EQ(decode_snapshot(store.snapshot(1)->payload).size(), 2u);  // immutable

  // Rollback makes snapshot 1 live again, as snapshot 3 of kind rollback.
  auto back = publisher.rollback(1, "carol", "");
  EXPECT_EQ(back.snapshot.number, 3);
  EXPECT_EQ(back.snapshot.kind, "rollback");
  EXPECT_EQ(back.snapshot.based_on, 1);
  EXPECT_EQ(back.snapshot.content_hash, store.snapshot(1)->info.content_hash);
  EXPECT_EQ(store.live_snapshot_number(), 3);
  EXPECT_EQ(publisher.diff(2, 3).size(), 2u);
  EXPECT_THROW(publisher.rollback(42, "carol", ""), PublishError);
  // The public changelog, newest snapshot first, each snapshot's changes in order.
  auto log = store.recent_changes(3, 100);
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[0].first, 3);
  EXPECT_EQ(log[0].second.event_key, "a");
  EXPECT_EQ(log[2].first, 2);
  EXPECT_EQ(log[4].first, 1);
  EXPECT_EQ(log[4].second.kind, ChangeKind::added);
  EXPECT_EQ(store.recent_changes(3, 3).size(), 3u);
  EXPECT_EQ(store.recent_changes(1, 100).size(), 2u);
  // Each publish that changed "a" (the room change, then the rollback) raised its SEQUENCE.
  EXPECT_EQ(store.event_sequences().at("a"), 2);
  auto list = store.list_snapshots();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].number, 3);
  EXPECT_EQ(list[2].author, "alice");
}

TYPED_TEST(Publishing, OtherConnectionsSeeTheLivePointer) {
  Publisher publisher(*this->store_, kClock);
  this->store_->upsert_events({event("a", "A")}, 1);
  auto other = this->reopen();
  EXPECT_FALSE(other->live_snapshot_number());
  publisher.publish("alice", "");
  EXPECT_EQ(other->live_snapshot_number(), 1);
}

TYPED_TEST(Publishing, EditsBasedOnAStaleVersionAreRefused) {
  Store& store = *this->store_;
  store.upsert_events({event("e", "Original")}, 1);
  const Event v1 = *store.find_event("e");
  EXPECT_EQ(v1.version, 1);
  Event mine = v1, theirs = v1;
  theirs.title = "Their title";
  auto first = store.edit_event(theirs, v1.version, 2);
  EXPECT_EQ(first.result, EditResult::updated);
  EXPECT_EQ(first.current.version, 2);
  mine.room = "My room";
  auto second = store.edit_event(mine, v1.version, 3);  // based on version 1: refused
  EXPECT_EQ(second.result, EditResult::conflict);
  EXPECT_EQ(second.current.title, "Their title");
  EXPECT_EQ(store.find_event("e")->room, "");
  EXPECT_EQ(store.edit_event(*store.find_event("e"), 2, 4).result, EditResult::unchanged);
  Event missing = v1;
  missing.key = "nope";
  EXPECT_EQ(store.edit_event(missing, 1, 4).result, EditResult::not_found);
}

// Issue 15 (one write path per operational move): a publish and a rollback
// write their audit entry in the snapshot's own transaction, whoever calls
// them (console, API, CLI, cron); an unchanged publish writes none.
TYPED_TEST(Publishing, PublishAndRollbackAreAuditedInTheirTransaction) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  store.upsert_events({event("a", "A")}, 1);
  const auto audit_count = [&] { return store.list_audit(100).size(); };
  const std::size_t before = audit_count();
  auto first = publisher.publish("alice@example.org", "opening night");
  auto entries = store.list_audit(1);
  ASSERT_EQ(audit_count(), before + 1);
  EXPECT_EQ(entries[0].action, "publish");
  EXPECT_EQ(entries[0].actor, "alice@example.org");
  EXPECT_EQ(entries[0].target, "snapshot " + std::to_string(first.snapshot.number));
  EXPECT_EQ(entries[0].after, "1 change; opening night");
  EXPECT_TRUE(publisher.publish("alice@example.org", "again").unchanged);
  EXPECT_EQ(audit_count(), before + 1) << "nothing published, nothing audited";
  store.upsert_events({event("a", "A renamed")}, 2);
  publisher.publish("bob", "");
  auto back = publisher.rollback(first.snapshot.number, "carol", "undo");
  entries = store.list_audit(1);
  EXPECT_EQ(entries[0].action, "rollback");
  EXPECT_EQ(entries[0].actor, "carol");
  EXPECT_EQ(entries[0].target, "snapshot " + std::to_string(back.snapshot.number));
  EXPECT_EQ(entries[0].after, "based on snapshot " + std::to_string(first.snapshot.number) + "; undo");
  EXPECT_EQ(audit_count(), before + 3);
}
