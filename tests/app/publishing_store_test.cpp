// Publishing on SQLite and PostgreSQL: snapshots, changelog, rollback.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/store/lz4_frame.hpp"
#include "adapters/store/snapshot_storage.hpp"
#include "adapters/store/stored_frames.hpp"
#include "app/publisher.hpp"
#include "app/snapshot_codec.hpp"
#include "core/event_key.hpp"
#include "core/snapshot_diff.hpp"
#include "support/store_fixture.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {
const ManualClock kClock(1795000000);
Event event(const std::string& key, const std::string& title) { return an_event(key).title(title); }

// Snapshot `number`'s payload from its pieces (SnapshotStore::snapshot_pieces), each made in
// one buffer reused, as a server decoding them makes them; and how many pieces.
std::pair<std::string, std::size_t> pieced_payload(Store& store, std::int64_t number) {
  const auto pieced = store.snapshot_pieces(number);
  if (!pieced) return {"(none)", 0};
  std::string out, buffer;
  for (std::size_t i = 0; i < pieced->payload->size(); ++i) out += pieced->payload->text(i, buffer);
  EXPECT_EQ(out.size(), pieced->payload->content_bytes());
  EXPECT_EQ(pieced->info.number, number);
  EXPECT_THROW(pieced->payload->text(pieced->payload->size(), buffer), std::out_of_range);
  return {out, pieced->payload->size()};
}
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


// Snapshots were written in key order before they took the programme's
// order (start, key): a live one of the same content in key order is
// unchanged content, not a new snapshot; a real change still publishes.
TYPED_TEST(Publishing, ALiveSnapshotInKeyOrderWithTheSameContentIsUnchanged) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  std::vector<Event> events;
  for (int i = 0; i < 50; ++i) {
    Event e = event("k-" + std::to_string(100 + i), "Talk " + std::to_string(i));
    e.starts_at -= i * 3600;  // by key is not by start
    e.ends_at = e.starts_at + 1800;
    events.push_back(std::move(e));
  }
  store.upsert_events(events, 1);
  std::vector<Event> by_key = public_events(store.list_events());
  std::sort(by_key.begin(), by_key.end(), [](const Event& a, const Event& b) { return a.key < b.key; });
  const std::string key_order = encode_snapshot(by_key);
  ASSERT_NE(key_order, encode_snapshot(public_events(store.list_events())));
  SnapshotInfo info;
  info.author = "older";
  info.kind = "publish";
  info.content_hash = sha256_hex(key_order);
  info.event_count = static_cast<std::int64_t>(by_key.size());
  const SnapshotInfo older = store.publish_snapshot(info, key_order, {}, 5, PublishNotices{}, nullptr);
  const auto again = publisher.publish("alice", "same programme");
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.snapshot.number, older.number);
  EXPECT_EQ(store.live_snapshot_number(), older.number);
  Event moved = *store.find_event("k-120");
  moved.room = "Hall 9";
  store.upsert_events({moved}, 2);
  const auto changed = publisher.publish("alice", "moved");
  EXPECT_FALSE(changed.unchanged);
  ASSERT_EQ(changed.changes.size(), 1u);
  EXPECT_EQ(changed.changes[0].event_key, "k-120");
}

// A snapshot's payload is stored as LZ4 frames of whole lines, a frame a row
// (migration 0027), and read back byte for byte; snapshots stored as one
// value of frames (0024) or as text before still read; a backup holds every
// payload as its JSON Lines, and a restore stores them as frames in rows.
TYPED_TEST(Publishing, PayloadsAreStoredAsLz4FramesAndOlderTextStillReads) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  std::vector<Event> events;
  // Enough events for two parts of more than one piece each (snapshot_codec.hpp): several frames.
  for (int i = 0; i < 8000; ++i) events.push_back(event("ev-" + std::to_string(i), "Talk " + std::to_string(i) + " — Straße"));
  store.upsert_events(events, 1);
  const auto published = publisher.publish("alice", "first");
  const std::string payload = encode_snapshot(public_events(store.list_events()));
  ASSERT_GT(payload.size(), 2 * kSnapshotPieceBytes);
  ASSERT_EQ(store.snapshot(published.snapshot.number)->payload, payload);
  EXPECT_EQ(published.snapshot.content_hash, sha256_hex(payload));
  EXPECT_EQ(store.snapshot(published.snapshot.number)->info.content_hash, sha256_hex(payload));
  EXPECT_TRUE(publisher.publish("alice", "again").unchanged);  // the same hash and size: no new snapshot

  auto db = this->backend_.raw();
  const auto stored = db->query("SELECT payload, CASE WHEN payload_lz4 IS NULL THEN 0 ELSE 1 END FROM snapshots WHERE number = 1");
  ASSERT_EQ(stored.size(), 1u);
  // Its payload column holds a line no decoder accepts: an older Marquee refuses the snapshot.
  ASSERT_TRUE(stored[0][0].has_value());
  EXPECT_THROW(decode_snapshot(*stored[0][0]), SnapshotFormatError);
  EXPECT_EQ(stored[0][1], std::optional<std::string>("0"));  // nothing in payload_lz4
  // A frame a row, in seq order 0, 1, 2, …, each one whole frame of whole lines.
  std::size_t rows = 0, frame_bytes = 0;
  std::string frames;  // the rows one after the other
  const std::size_t counted = db->each_byte_row("snapshot_frames", "snapshot_number", 1, "seq", "frame",
                              [&](std::string_view frame) {
                                ++rows;
                                frame_bytes += frame.size();
                                EXPECT_EQ(lz4_frame_spans(frame).size(), 1u);
                                lz4_frame_for_each_content(frame, [&](std::string_view content) {
                                  EXPECT_EQ(content.back(), '\n');  // each frame whole lines
                                });
                                frames += frame;
                              });
  EXPECT_EQ(counted, rows);
  EXPECT_GE(rows, 3u);
  EXPECT_LT(frame_bytes, payload.size() / 4);
  EXPECT_EQ(lz4_frame_decompress(frames), payload);
  // In its pieces: a piece a row, the same content.
  EXPECT_EQ(pieced_payload(store, 1), std::make_pair(payload, rows));
  EXPECT_EQ(store.snapshot_pieces(1)->info.content_hash, sha256_hex(payload));
  EXPECT_FALSE(store.snapshot_pieces(99).has_value());
  const auto seqs = db->query("SELECT seq FROM snapshot_frames WHERE snapshot_number = 1 ORDER BY seq");
  ASSERT_EQ(seqs.size(), rows);
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i][0], std::optional<std::string>(std::to_string(i)));
  // Its content's size is kept beside it: each row's content is put in place as it comes.
  EXPECT_EQ(db->query("SELECT payload_bytes FROM snapshots WHERE number = 1").at(0).at(0),
            std::optional<std::string>(std::to_string(payload.size())));
  // Without it (NULL), the rows are read, then decompressed together: the same payload.
  db->query("UPDATE snapshots SET payload_bytes = NULL WHERE number = 1");
  EXPECT_EQ(store.snapshot(1)->payload, payload);
  // A size its frames do not have is refused, larger or smaller.
  EXPECT_EQ(pieced_payload(store, 1), std::make_pair(payload, rows));
  for (const std::size_t wrong : {payload.size() + 1, payload.size() - 1, std::size_t{0}, std::size_t{1} << 40}) {
    db->query("UPDATE snapshots SET payload_bytes = ? WHERE number = 1", Row{std::to_string(wrong)});
    EXPECT_THROW(store.snapshot(1), StoreError) << wrong;
    EXPECT_THROW(store.snapshot_pieces(1), StoreError) << wrong;  // from the frame headers, nothing decompressed
  }
  db->query("UPDATE snapshots SET payload_bytes = ? WHERE number = 1", Row{std::to_string(payload.size())});
  EXPECT_EQ(store.snapshot(1)->payload, payload);
  // A size that is none (SQLite keeps any text in an INTEGER column; PostgreSQL only takes a BIGINT).
  const std::vector<std::string> garbage_sizes =
      db->backend() == "postgres" ? std::vector<std::string>{"-1"}
                                  : std::vector<std::string>{"-1", "12x", "", "99999999999999999999999"};
  for (const std::string& garbage : garbage_sizes) {
    db->query("UPDATE snapshots SET payload_bytes = ? WHERE number = 1", Row{garbage});
    EXPECT_THROW(store.snapshot(1), StoreError) << garbage;
    EXPECT_THROW(store.snapshot_pieces(1), StoreError) << garbage;
  }
  db->query("UPDATE snapshots SET payload_bytes = ? WHERE number = 1", Row{std::to_string(payload.size())});
  // Either way of reading the rows, on either store: each row in place as it comes, or all then together.
  for (const bool in_place : {true, false}) {
    EXPECT_EQ(read_payload_rows(*db, 1, payload.size(), in_place), std::optional<std::string>(payload)) << in_place;
    EXPECT_EQ(read_payload_rows(*db, 1, std::nullopt, in_place), std::optional<std::string>(payload)) << in_place;
    EXPECT_THROW(read_payload_rows(*db, 1, payload.size() + 1, in_place), StoreError) << in_place;
    EXPECT_THROW(read_payload_rows(*db, 1, payload.size() - 1, in_place), StoreError) << in_place;
    EXPECT_EQ(read_payload_rows(*db, 99, payload.size(), in_place), std::nullopt) << in_place;
  }
  // The same content is known by the live payload's own hash, not by the hash stored beside it.
  db->query("UPDATE snapshots SET content_hash = 'not-its-hash' WHERE number = 1");
  EXPECT_TRUE(publisher.publish("alice", "again").unchanged);
  db->query("UPDATE snapshots SET content_hash = ? WHERE number = 1", Row{sha256_hex(payload)});

  // A snapshot written before migration 0024: its JSON Lines in payload (over 4 MiB), no frame.
  std::vector<Event> older_events;
  for (int i = 0; i < 12000; ++i) older_events.push_back(event("old-" + std::to_string(i), "Older talk " + std::to_string(i)));
  const std::string older = encode_snapshot(public_events(older_events));
  ASSERT_GT(older.size(), std::size_t{4} << 20);
  db->query("INSERT INTO snapshots (number, created_at, author, note, kind, based_on, content_hash, event_count, payload) "
            "VALUES (7, 5, 'bob', '', 'publish', NULL, 'h', 1, ?)",
            Row{older});
  EXPECT_EQ(store.snapshot(7)->payload, older);
  EXPECT_EQ(store.snapshot(7)->info.author, "bob");
  EXPECT_EQ(pieced_payload(store, 7), std::make_pair(older, std::size_t{1}));  // its text, one piece
  EXPECT_EQ(store.snapshot_pieces(7)->info.author, "bob");
  EXPECT_FALSE(store.snapshot(9).has_value());
  EXPECT_FALSE(store.snapshot_pieces(9).has_value());
  // One written from migration 0024 until 0027: its frames in payload_lz4, one value.
  const std::string middle = encode_snapshot(public_events({event("mid-1", "Middle talk")}));
  db->query("INSERT INTO snapshots (number, created_at, author, note, kind, based_on, content_hash, event_count, payload) "
            "VALUES (8, 6, 'carol', '', 'publish', NULL, 'h', 1, ?)",
            Row{std::string(kPayloadInFrame)});
  db->write_bytes("snapshots", "payload_lz4", "number", 8, lz4_frame_compress(middle));
  EXPECT_EQ(store.snapshot(8)->payload, middle);
  EXPECT_EQ(pieced_payload(store, 8), std::make_pair(middle, std::size_t{1}));  // a piece a frame: one

  // A backup has the text of all three; restored, all are frames in rows again and read the same.
  const auto dump = store.dump_tables();
  const auto snapshots = std::find_if(dump.begin(), dump.end(), [](const TableDump& t) { return t.name == "snapshots"; });
  ASSERT_NE(snapshots, dump.end());
  const auto col = std::find(snapshots->columns.begin(), snapshots->columns.end(), "payload") - snapshots->columns.begin();
  ASSERT_EQ(snapshots->rows.size(), 3u);
  EXPECT_EQ(snapshots->rows[0][col], std::optional<std::string>(payload));
  EXPECT_EQ(snapshots->rows[1][col], std::optional<std::string>(older));
  EXPECT_EQ(snapshots->rows[2][col], std::optional<std::string>(middle));
  store.restore_tables(dump);
  EXPECT_EQ(store.snapshot(1)->payload, payload);
  EXPECT_EQ(store.snapshot(7)->payload, older);
  EXPECT_EQ(store.snapshot(8)->payload, middle);
  for (const auto& [number, text] : {std::pair{1, payload}, std::pair{7, older}, std::pair{8, middle}})
    EXPECT_EQ(pieced_payload(store, number).first, text) << number;
  EXPECT_GE(pieced_payload(store, 7).second, 4u);  // 4 MiB of text restored: a row a piece of about 1 MiB
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM snapshots WHERE payload_lz4 IS NOT NULL").at(0).at(0),
            std::optional<std::string>("0"));
  EXPECT_EQ(db->query("SELECT COUNT(DISTINCT snapshot_number) FROM snapshot_frames").at(0).at(0),
            std::optional<std::string>("3"));
  EXPECT_EQ(db->query("SELECT payload_bytes FROM snapshots WHERE number = 7").at(0).at(0),
            std::optional<std::string>(std::to_string(older.size())));
  // Cut at line ends as frame_payload_bytes cuts them (not where the publish's parts cut): still several rows.
  EXPECT_GE(std::stoll(db->query("SELECT COUNT(*) FROM snapshot_frames WHERE snapshot_number = 1").at(0).at(0).value_or("0")), 3);
  for (const auto& r : db->query("SELECT payload FROM snapshots")) EXPECT_THROW(decode_snapshot(r[0].value_or("")), SnapshotFormatError);
  EXPECT_EQ(store.dump_tables(), dump);
}

// A damaged row of a payload's frames is found when that piece is made,
// not before: the other pieces still read, and decoding the pieces reports
// the store's error (a server then keeps what it serves).
TYPED_TEST(Publishing, ADamagedPieceIsFoundWhenItIsMade) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  std::vector<Event> events;
  for (int i = 0; i < 8000; ++i) events.push_back(event("ev-" + std::to_string(i), "Talk " + std::to_string(i)));
  store.upsert_events(events, 1);
  publisher.publish("alice", "first");
  auto db = this->backend_.raw();
  std::vector<std::string> rows;
  db->each_byte_row("snapshot_frames", "snapshot_number", 1, "seq", "frame", [&](std::string_view f) { rows.emplace_back(f); });
  ASSERT_GE(rows.size(), 3u);
  rows[1].back() ^= 0x5A;  // its content checksum, the frame's last 4 bytes: headers and blocks intact
  db->query("DELETE FROM snapshot_frames WHERE snapshot_number = 1");
  db->insert_byte_rows("snapshot_frames", "snapshot_number", 1, "seq", "frame",
                       std::vector<std::string_view>(rows.begin(), rows.end()));
  const auto pieced = store.snapshot_pieces(1);
  ASSERT_TRUE(pieced);
  ASSERT_EQ(pieced->payload->size(), rows.size());
  std::string buffer;
  EXPECT_FALSE(pieced->payload->text(0, buffer).empty());
  EXPECT_THROW(pieced->payload->text(1, buffer), StoreError);
  EXPECT_FALSE(pieced->payload->text(2, buffer).empty());
  SlotsMadeAhead<ProgrammeEntry> slots(events.size() + 1);
  EXPECT_THROW(decode_snapshot_entries(*pieced->payload, slots), StoreError);
  EXPECT_THROW(store.snapshot(1), StoreError);  // the whole payload's read finds it too
}

// Rows of frames left under the next snapshot's number (a restore by a
// binary before schema 27 did not clear them) do not stop the publish, nor
// end up in its payload.
TYPED_TEST(Publishing, APublishReplacesFrameRowsLeftUnderItsNumber) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  store.upsert_events({event("left-1", "One"), event("left-2", "Two")}, 1);
  auto db = this->backend_.raw();
  db->insert_byte_rows("snapshot_frames", "snapshot_number", 1, "seq", "frame", {"not a frame", "nor this"});
  const auto published = publisher.publish("alice", "");
  ASSERT_EQ(published.snapshot.number, 1);
  EXPECT_EQ(store.snapshot(1)->payload, encode_snapshot(public_events(store.list_events())));
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM snapshot_frames WHERE snapshot_number = 1").at(0).at(0),
            std::optional<std::string>("1"));
}

// A snapshot's changelog is stored as one LZ4 frame (migration 0024), not as
// rows; changelogs written as rows before (or restored) still read, and the
// most recent changes come newest snapshot first across both; a backup has
// them all as rows, and a restore reads the same.
TYPED_TEST(Publishing, ChangelogsAreFramesAndOlderRowsStillRead) {
  Store& store = *this->store_;
  Publisher publisher(store, kClock);
  auto db = this->backend_.raw();
  // Snapshots 1 and 2 as a store before migration 0024 wrote them: changelog rows.
  for (const char* n : {"1", "2"})
    db->query("INSERT INTO snapshots (number, created_at, author, note, kind, based_on, content_hash, event_count, payload) "
              "VALUES (CAST(? AS BIGINT), 5, 'old', '', 'publish', NULL, 'h', 0, '')",
              Row{n});
  db->query("INSERT INTO snapshot_changes (snapshot_number, position, event_key, change, fields, details) VALUES "
            "(1, 0, 'r1a', 'added', '', 'title\t\tR1a\n'), (1, 1, 'r1b', 'added', '', ''), "
            "(2, 0, 'r2a', 'changed', 'room,title', 'room\tA\tB\n')");
  db->query("INSERT INTO live_snapshot (id, number, changed_at) VALUES (1, 2, 5)");

  std::vector<Event> events;
  for (int i = 0; i < 1500; ++i) events.push_back(event("ev-" + std::to_string(i), "Talk " + std::to_string(i)));
  store.upsert_events(events, 1);
  const auto third = publisher.publish("alice", "many");
  ASSERT_EQ(third.snapshot.number, 3);
  EXPECT_EQ(store.snapshot_changes(3), third.changes);
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM snapshot_changes WHERE snapshot_number = 3").at(0).at(0),
            std::optional<std::string>("0"));
  EXPECT_EQ(db->query("SELECT change_count FROM snapshot_changelogs WHERE snapshot_number = 3").at(0).at(0),
            std::optional<std::string>("1500"));  // 1,500 added (snapshot 2 had no events)
  // Its frame has block checksums (FLG bit 4), so a server reading its first lines checks them.
  const auto frame = db->read_bytes("snapshot_changelogs", "changes_lz4", "snapshot_number", 3);
  ASSERT_TRUE(frame && frame->size() > 4);
  EXPECT_NE(static_cast<unsigned char>((*frame)[4]) & 0x10, 0);
  Event moved = events[7];
  moved.room = "Hall 9";
  store.upsert_events({moved}, 2);
  const auto fourth = publisher.publish("bob", "one room");
  ASSERT_EQ(fourth.changes.size(), 1u);
  EXPECT_EQ(store.snapshot_changes(4), fourth.changes);
  EXPECT_EQ(store.snapshot_changes(2).size(), 1u);
  EXPECT_EQ(store.snapshot_changes(2)[0].fields, (std::vector<std::string>{"room", "title"}));
  EXPECT_TRUE(store.snapshot_changes(9).empty());

  // A row for a snapshot that has a frame (never written so): the frame is read, everywhere.
  db->query("INSERT INTO snapshot_changes (snapshot_number, position, event_key, change, fields, details) VALUES "
            "(3, 0, 'stray', 'removed', '', '')");
  EXPECT_EQ(store.snapshot_changes(3), third.changes);
  // Newest first: 4's one change, 3's in order, then 2's row, then 1's.
  auto recent = store.recent_changes(4, 2000);
  ASSERT_EQ(recent.size(), 1 + 1500 + 1 + 2u);
  EXPECT_EQ(recent[0].first, 4);
  EXPECT_EQ(recent[1].first, 3);
  EXPECT_EQ(recent[1].second, third.changes[0]);
  EXPECT_EQ(recent[1500].second, third.changes.back());
  EXPECT_EQ(recent[1501].first, 2);
  EXPECT_EQ(recent[1501].second.event_key, "r2a");
  EXPECT_EQ(recent[1502].second.event_key, "r1a");
  EXPECT_EQ(recent[1503].second.event_key, "r1b");
  auto limited = store.recent_changes(4, 10);
  ASSERT_EQ(limited.size(), 10u);
  EXPECT_EQ(limited[9].second, third.changes[8]);
  auto older = store.recent_changes(2, 2);
  ASSERT_EQ(older.size(), 2u);
  EXPECT_EQ(older[0].second.event_key, "r2a");
  EXPECT_EQ(older[1].second.event_key, "r1a");

  // A backup has all of them as rows, in (snapshot, position) order; a restore reads the same.
  const auto dump = store.dump_tables();
  const auto rows = std::find_if(dump.begin(), dump.end(), [](const TableDump& t) { return t.name == "snapshot_changes"; });
  ASSERT_NE(rows, dump.end());
  ASSERT_EQ(rows->rows.size(), 2 + 1 + 1500 + 1u);
  EXPECT_EQ(rows->rows[3][0], std::optional<std::string>("3"));
  EXPECT_EQ(rows->rows[3][1], std::optional<std::string>("0"));
  EXPECT_EQ(rows->rows.back()[0], std::optional<std::string>("4"));
  store.restore_tables(dump);
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM snapshot_changelogs").at(0).at(0), std::optional<std::string>("0"));
  EXPECT_EQ(store.snapshot_changes(3), third.changes);
  EXPECT_EQ(store.recent_changes(4, 2000), recent);
  EXPECT_EQ(store.dump_tables(), dump);
}

// Another instance learns of a publish at once, not at its next poll:
// PostgreSQL's NOTIFY, SQLite's signal file beside the database (inotify).
// A listener that nothing woke times out; a publish and a rollback each
// wake it once their transaction committed.
TYPED_TEST(Publishing, AListenerOfAnotherInstanceWakesOnPublishAndRollback) {
  auto other = this->reopen();
  auto listener = other->listen_live();
  ASSERT_NE(listener, nullptr);
  EXPECT_FALSE(listener->wait(50));
  // Takes what is still on its way (PostgreSQL's notifications may come in separate reads).
  const auto settle = [&] {
    while (listener->wait(200)) {
    }
  };

  Publisher publisher(*this->store_, kClock);
  this->store_->upsert_events({event("a", "A")}, 1);
  publisher.publish("alice", "first");
  EXPECT_TRUE(listener->wait(5000));
  EXPECT_EQ(other->live_snapshot_number(), 1);
  settle();

  this->store_->upsert_events({event("b", "B")}, 2);
  publisher.publish("alice", "second");
  publisher.rollback(1, "bob", "");
  EXPECT_TRUE(listener->wait(5000));
  settle();
  EXPECT_EQ(other->live_snapshot_number(), 3);

  // An unchanged publish moves nothing and signals nothing.
  EXPECT_FALSE(publisher.publish("alice", "b again").unchanged);
  EXPECT_TRUE(listener->wait(5000));
  settle();
  EXPECT_TRUE(publisher.publish("alice", "again").unchanged);
  EXPECT_FALSE(listener->wait(200));
}

// On SQLite the commit of a publish does not copy the write-ahead log into the
// database file (its automatic checkpoint, from 1,000 pages of log): the publish
// runs a checkpoint itself after the servers were signalled, whatever the log's
// size. So the database file alone holds even a small publish afterwards (it did
// not before: 300 events stay far under 1,000 pages), and the connection, the
// store's only one here, checkpoints on its own again after.
TYPED_TEST(Publishing, OnSqliteThePublishIsCheckpointedAfterItsSignal) {
  if constexpr (std::is_same_v<TypeParam, PostgresBackend>) {
    GTEST_SKIP() << "a write-ahead log checkpoint is SQLite's";
  } else {
    Store& store = *this->store_;
    Publisher publisher(store, kClock);
    std::vector<Event> events;
    for (int i = 0; i < 300; ++i) events.push_back(event("ev-" + std::to_string(i), "Talk " + std::to_string(i)));
    store.upsert_events(events, 1);
    ASSERT_EQ(publisher.publish("alice", "first").snapshot.number, 1);
    // The database file without its log: a copy of it alone holds what was checkpointed.
    const auto dir = this->backend_.dir;
    const auto file_alone = [&](const std::string& name) {
      std::filesystem::create_directories(dir / name);
      std::filesystem::copy_file(dir / "store.db", dir / name / "store.db");
      return open_sqlite((dir / name / "store.db").string());
    };
    EXPECT_EQ(file_alone("after-publish")->query("SELECT number FROM snapshots"), (std::vector<Row>{Row{"1"}}));

    // A later write of over 1,000 pages of log (SQLite's default) is checkpointed by its commit.
    std::vector<Event> longer;
    for (int i = 0; i < 2000; ++i) {
      Event e = event("long-" + std::to_string(i), "Long " + std::to_string(i));
      e.description = std::string(3000, static_cast<char>('a' + i % 26));
      longer.push_back(std::move(e));
    }
    store.upsert_events(longer, 2);
    EXPECT_EQ(file_alone("after-upsert")->query("SELECT COUNT(*) FROM events"), (std::vector<Row>{Row{"2300"}}));
  }
}
