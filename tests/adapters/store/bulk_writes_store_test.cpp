// The bulk write paths on SQLite and PostgreSQL: SqlConnection::execute_many
// (one prepared statement; libpq's pipeline mode), bulk_insert (COPY FROM
// STDIN on PostgreSQL) and the import that uses them.
#include <gtest/gtest.h>

#include <type_traits>

#include "adapters/postgres/pg_connection.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/store/sql_connection.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;  // 2026-11-19
constexpr UnixSeconds kStart = 1812830400;

// Text that COPY's text format must escape, or that looks like its markers.
const std::string kAwkward = "tab\there, back\\slash, \\N and \\. alone,\r\nCRLF, quote \" and ' — Straße\n\nend";

Event numbered(int i) {
  Event e;
  e.key = "bulk-" + std::to_string(i);
  e.title = i % 7 == 0 ? "Café\tcrème " + std::to_string(i) : "Event " + std::to_string(i);
  e.description = i % 3 == 0 ? kAwkward + std::to_string(i) : "";
  e.starts_at = kStart + i * 60;
  e.ends_at = e.starts_at + 3600;
  e.time_zone = "Europe/Berlin";
  e.venue = "Venue \\" + std::to_string(i % 5);
  e.tags = {"a", "b\\c"};
  if (i % 4) e.capacity = i % 100;
  e.registration = i % 2 == 0;
  e.source_file = "bulk.csv";
  e.source_record = "line " + std::to_string(i + 2);
  return e;
}


}  // namespace

template <typename B>
using BulkWrites_ = StoreTest<B>;
TYPED_TEST_SUITE(BulkWrites_, Backends, BackendNames);

// 12,001 new events cross the import's bulk chunks (5,000) and the pipeline's
// (1,000); every byte comes back, and no counter row is written. Its
// history (three lists of added keys) undoes all of it.
TYPED_TEST(BulkWrites_, ImportOfManyNewEventsRoundTripsEveryByte) {
  std::vector<Event> events;
  for (int i = 0; i < 12001; ++i) events.push_back(numbered(i));
  const auto r = this->store_->import_events(events, kNow, ImportRun{0, 0, "test", "bulk.csv", "csv"});
  EXPECT_EQ(r.inserted, 12001);
  EXPECT_EQ(r.updated, 0);
  const auto stored = this->store_->list_events();
  ASSERT_EQ(stored.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    Event want = events[i];
    want.created_at = want.updated_at = kNow;
    want.version = 1;
    ASSERT_EQ(stored[i], want) << "event " << i;
  }
  // Their counts hold each capacity (an unlimited event has none), without counter rows.
  EXPECT_EQ(this->store_->event_counts("bulk-1")->capacity, std::optional<std::int64_t>(1));
  EXPECT_EQ(this->store_->event_counts("bulk-4")->capacity, std::nullopt);
  const auto runs = this->store_->list_import_runs(1);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].inserted, 12001);
  auto db = this->backend_.raw();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM import_additions").at(0).at(0), std::optional<std::string>("3"));
  // No counter rows: an event's first registration makes its own (lock_counter).
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));
  const RevertOutcome undone = this->store_->revert_import(r.import_id, kNow + 60, "owner@example.org");
  EXPECT_TRUE(undone.found);
  EXPECT_EQ(undone.removed.size(), 12001u);
  EXPECT_TRUE(undone.refused.empty());
  EXPECT_EQ(this->store_->count_events(), 0);
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));
}

// A second import that changes 130 of its events (their history rows: more
// than two of SQLite's 64-row statements, where the history's table has a
// foreign key and takes one row a statement) and adds 70: reverting it
// gives each changed event its content back and removes the added ones.
TYPED_TEST(BulkWrites_, AReimportChangingManyEventsIsRevertedWhole) {
  std::vector<Event> first;
  for (int i = 0; i < 300; ++i) first.push_back(numbered(i));
  this->store_->import_events(first, kNow, ImportRun{0, 0, "test", "bulk.csv", "csv"});
  std::vector<Event> second;
  for (int i = 0; i < 370; ++i) {
    Event e = numbered(i);
    if (i % 2 == 0 && i < 260) e.title = "Changed " + std::to_string(i);
    second.push_back(e);
  }
  const auto r = this->store_->import_events(second, kNow + 60, ImportRun{0, 0, "test", "bulk.csv", "csv"});
  EXPECT_EQ(r.updated, 130);
  EXPECT_EQ(r.inserted, 70);
  EXPECT_EQ(r.unchanged, 170);
  auto db = this->backend_.raw();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM import_changes").at(0).at(0), std::optional<std::string>("130"));
  const RevertOutcome undone = this->store_->revert_import(r.import_id, kNow + 120, "owner@example.org");
  EXPECT_EQ(undone.restored.size(), 130u);
  EXPECT_EQ(undone.removed.size(), 70u);
  EXPECT_TRUE(undone.refused.empty());
  EXPECT_EQ(this->store_->count_events(), 300);
  EXPECT_EQ(this->store_->find_event("bulk-258")->title, numbered(258).title);
  EXPECT_EQ(this->store_->find_event("bulk-258")->version, 3);  // the revert is a new version
}

// New events next to updates of existing ones; and one key twice in the same
// upsert (an import refuses that earlier): the second write updates the
// first, which was written in bulk before it.
TYPED_TEST(BulkWrites_, NewUpdatedAndRepeatedKeysInOneWrite) {
  this->store_->upsert_events({numbered(1), numbered(2)}, kNow - 100);
  Event changed = numbered(2);
  changed.title = "Changed";
  const auto r = this->store_->import_events({numbered(3), numbered(1), changed, numbered(4)}, kNow,
                                             ImportRun{0, 0, "test", "bulk.csv", "csv"});
  EXPECT_EQ(r.inserted, 2);   // 3 and 4
  EXPECT_EQ(r.updated, 1);    // 2
  EXPECT_EQ(r.unchanged, 1);  // 1
  EXPECT_EQ(this->store_->find_event("bulk-2")->title, "Changed");
  EXPECT_EQ(this->store_->find_event("bulk-2")->version, 2);
  // The import's changes were recorded (bulk_insert): reverting removes what it added and puts back what it changed.
  const auto reverted = this->store_->revert_import(r.import_id, kNow + 5, "test");
  EXPECT_TRUE(reverted.found);
  EXPECT_TRUE(reverted.refused.empty());
  EXPECT_FALSE(this->store_->find_event("bulk-3"));
  EXPECT_FALSE(this->store_->find_event("bulk-4"));
  EXPECT_EQ(this->store_->find_event("bulk-2")->title, numbered(2).title);

  Event again = numbered(5);
  again.title = "Second write";
  const auto twice = this->store_->upsert_events({numbered(5), numbered(6), again}, kNow + 10);
  EXPECT_EQ(twice.inserted, 2);
  EXPECT_EQ(twice.updated, 1);
  const auto five = this->store_->find_event("bulk-5");
  EXPECT_EQ(five->title, "Second write");
  EXPECT_EQ(five->version, 2);
  EXPECT_EQ(five->created_at, kNow + 10);
  EXPECT_EQ(this->store_->count_events(), 4);
}

// More than 512 events: the store's keys are read first and only keys stored
// before are looked up; a key written earlier in the same call is read back
// alone when it comes again (then an update of what was just written).
TYPED_TEST(BulkWrites_, ALargeWriteFindsKeysStoredBeforeAndKeysItWroteItself) {
  this->store_->upsert_events({numbered(1)}, kNow - 100);
  std::vector<Event> many;
  for (int i = 0; i < 700; ++i) many.push_back(numbered(i));
  many[1].title = "Changed";  // stored before
  Event again = numbered(5);
  again.title = "Second write";
  many.push_back(again);  // written earlier in this call (in bulk, not yet flushed)
  const auto r = this->store_->upsert_events(many, kNow);
  EXPECT_EQ(r.inserted, 699);
  EXPECT_EQ(r.updated, 2);  // bulk-1 and bulk-5's second write
  EXPECT_EQ(r.unchanged, 0);
  EXPECT_EQ(this->store_->find_event("bulk-1")->title, "Changed");
  EXPECT_EQ(this->store_->find_event("bulk-1")->version, 2);
  EXPECT_EQ(this->store_->find_event("bulk-1")->created_at, kNow - 100);
  const auto five = this->store_->find_event("bulk-5");
  EXPECT_EQ(five->title, "Second write");
  EXPECT_EQ(five->version, 2);
  EXPECT_EQ(this->store_->count_events(), 700);
}

// More new events than their hand-on (256): a stored event changed after
// them, and a key written early in the call written again at the end, both
// land; the two written as changes have a counter row with their new
// capacity, the new ones none, and every event's counts hold its capacity.
TYPED_TEST(BulkWrites_, AStoredEventChangedAfterThousandsOfNewOnes) {
  this->store_->upsert_events({numbered(3)}, kNow - 100);
  std::vector<Event> many;
  for (int i = 10; i < 6010; ++i) many.push_back(numbered(i));
  Event changed = numbered(3);
  changed.capacity = 30;
  many.push_back(changed);
  Event again = numbered(20);
  again.capacity = 77;
  many.push_back(again);
  const auto r = this->store_->upsert_events(many, kNow);
  EXPECT_EQ(r.inserted, 6000);
  EXPECT_EQ(r.updated, 2);
  EXPECT_EQ(this->store_->count_events(), 6001);
  EXPECT_EQ(this->store_->find_event("bulk-3")->capacity, 30);
  EXPECT_EQ(this->store_->find_event("bulk-20")->capacity, 77);
  auto db = this->backend_.raw();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("2"));
  EXPECT_EQ(db->query("SELECT capacity FROM event_counters WHERE event_key = ?", Row{"bulk-3"}).at(0).at(0),
            std::optional<std::string>("30"));
  EXPECT_EQ(db->query("SELECT capacity FROM event_counters WHERE event_key = ?", Row{"bulk-20"}).at(0).at(0),
            std::optional<std::string>("77"));
  EXPECT_TRUE(db->query("SELECT capacity FROM event_counters WHERE event_key = ?", Row{"bulk-6009"}).empty());
  EXPECT_EQ(this->store_->event_counts("bulk-6009")->capacity, std::optional<std::int64_t>(9));
  EXPECT_EQ(this->store_->event_counts("bulk-3")->capacity, std::optional<std::int64_t>(30));
}

// Every kind of statement ends an open bulk insert first and sees its rows:
// a query without parameters (PostgreSQL: read with COPY TO), one with
// parameters (row by row), execute_many (a pipeline).
TYPED_TEST(BulkWrites_, EveryStatementEndsAnOpenBulkInsertFirst) {
  auto db = this->backend_.raw();
  int n = 0;
  const auto append = [&](int count) {
    std::vector<Row> rows;
    for (int i = 0; i < count; ++i, ++n) rows.push_back(Row{"e" + std::to_string(n), "1"});
    db->bulk_append("event_counters", "event_key, capacity", rows);
  };
  db->begin_write();
  append(300);
  int seen = 0;
  db->query_each("SELECT event_key FROM event_counters", {}, [&](Row&&) { ++seen; });
  EXPECT_EQ(seen, 300);
  append(300);
  seen = 0;
  db->query_each("SELECT event_key FROM event_counters WHERE capacity = ?", Row{"1"}, [&](Row&&) { ++seen; });
  EXPECT_EQ(seen, 600);
  append(300);
  db->execute_many("UPDATE event_counters SET capacity = ? WHERE event_key = ?", {Row{"5", "e899"}, Row{"6", "e0"}});
  append(1);
  db->commit();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("901"));
  EXPECT_EQ(db->query("SELECT capacity FROM event_counters WHERE event_key = ?", Row{"e899"}).at(0).at(0),
            std::optional<std::string>("5"));
}

// A failing row stops the call with StoreError naming the database's reason;
// after the rollback nothing is written and the connection works as before.
TYPED_TEST(BulkWrites_, AFailingRowFailsTheCallAndTheConnectionStaysUsable) {
  auto db = this->backend_.raw();
  std::vector<Row> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back(Row{"k" + std::to_string(i), std::to_string(i % 50)});
  rows.push_back(Row{"k7", "1"});  // the key again
  db->begin_write();
  EXPECT_THROW(db->bulk_insert("event_counters", "event_key, capacity", rows), StoreError);
  db->rollback();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));

  rows.back() = Row{"k-bad", "-1"};  // breaks CHECK (confirmed >= 0)
  db->begin_write();
  EXPECT_THROW(db->execute_many("INSERT INTO event_counters (event_key, confirmed) VALUES (?, ?)", rows), StoreError);
  db->rollback();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));

  rows.back() = Row{"k-short"};  // one value for two placeholders: refused, not padded with the previous row's
  db->begin_write();
  EXPECT_THROW(db->execute_many("INSERT INTO event_counters (event_key, capacity) VALUES (?, ?)", rows), StoreError);
  db->rollback();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));

  rows.pop_back();
  db->begin_write();
  db->execute_many("INSERT INTO event_counters (event_key, capacity) VALUES (?, ?)", rows);
  db->commit();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters WHERE capacity = ?", Row{"49"}).at(0).at(0),
            std::optional<std::string>("50"));
}

// bulk_insert of every size around SQLite's 64-row statements and with
// NULLs among the rows: every row lands once, NULLs kept; a row narrower than
// the first, early or late, a repeated key and a value a CHECK refuses, in a
// 64-row statement or among the rows left over, fail the call, and nothing
// of it stays once rolled back.
TYPED_TEST(BulkWrites_, BulkInsertsOfEverySizeAroundTheChunk) {
  auto db = this->backend_.raw();
  int written = 0;
  for (const int n : {1, 63, 64, 65, 128, 129}) {
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i)
      rows.push_back(Row{"s" + std::to_string(n) + "-" + std::to_string(i),
                         i % 3 ? std::optional<std::string>(std::to_string(i)) : std::nullopt});
    db->begin_write();
    db->bulk_insert("event_counters", "event_key, capacity", rows);
    db->commit();
    written += n;
    const auto back = db->query("SELECT event_key, capacity FROM event_counters WHERE event_key LIKE ? ORDER BY capacity, event_key",
                                Row{"s" + std::to_string(n) + "-%"});
    ASSERT_EQ(back.size(), static_cast<std::size_t>(n)) << n;
    EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters WHERE event_key LIKE ? AND capacity IS NULL",
                        Row{"s" + std::to_string(n) + "-%"}).at(0).at(0),
              std::optional<std::string>(std::to_string((n + 2) / 3)))
        << n;
  }
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>(std::to_string(written)));
  for (const int bad : {10, 70}) {  // early, then late in the rows
    std::vector<Row> rows;
    for (int i = 0; i < 75; ++i) rows.push_back(Row{"t" + std::to_string(bad) + "-" + std::to_string(i), "1"});
    rows[static_cast<std::size_t>(bad)] = Row{"narrow"};
    db->begin_write();
    EXPECT_THROW(db->bulk_insert("event_counters", "event_key, capacity", rows), StoreError) << bad;
    db->rollback();
  }
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>(std::to_string(written)));
  for (const int bad : {30, 100, 135}) {  // in the first 64-row statement, the second, the rows left over
    for (const bool repeated : {true, false}) {
      std::vector<Row> rows;
      for (int i = 0; i < 140; ++i) rows.push_back(Row{"u" + std::to_string(bad) + "-" + std::to_string(i), "1"});
      rows[static_cast<std::size_t>(bad)] = repeated ? Row{"u" + std::to_string(bad) + "-7", "1"}   // the key again
                                                     : Row{"u-check", "-1"};  // breaks CHECK (confirmed <= capacity)
      db->begin_write();
      EXPECT_THROW(db->bulk_insert("event_counters", "event_key, capacity", rows), StoreError) << bad;
      db->rollback();
      EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>(std::to_string(written)))
          << bad << " " << repeated;
    }
  }
}

// bulk_append keeps a bulk insert open across calls inside a transaction
// (PostgreSQL: one COPY): rows of many calls, and of rows over one 64 KiB
// message, are all there for the next query in the same transaction and
// after the commit; another table's rows end it first and keep their order;
// outside a transaction each call stands alone.
TYPED_TEST(BulkWrites_, AppendedRowsAreThereForTheNextStatement) {
  auto db = this->backend_.raw();
  const std::string long_text(100 * 1024, 'x');  // one row over a COPY message
  db->begin_write();
  for (int call = 0; call < 5; ++call) {
    std::vector<Row> rows;
    for (int i = 0; i < 300; ++i)
      rows.push_back(Row{"a" + std::to_string(call) + "-" + std::to_string(i),
                         i % 5 ? std::optional<std::string>(std::to_string(i)) : std::nullopt});
    db->bulk_append("event_counters", "event_key, capacity", rows);
  }
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("1500"));
  db->bulk_append("event_counters", "event_key, capacity", {Row{"b-1", "1"}});
  db->bulk_append("settings", "name, value", {Row{"bulk.long", long_text}, Row{"bulk.tab", "a\tb\\c\nd"}});
  db->bulk_append("event_counters", "event_key, capacity", {Row{"b-2", std::nullopt}});
  db->commit();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("1502"));
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters WHERE capacity IS NULL").at(0).at(0),
            std::optional<std::string>("301"));
  EXPECT_EQ(db->query("SELECT value FROM settings WHERE name = ?", Row{"bulk.long"}).at(0).at(0),
            std::optional<std::string>(long_text));
  EXPECT_EQ(db->query("SELECT value FROM settings WHERE name = ?", Row{"bulk.tab"}).at(0).at(0),
            std::optional<std::string>("a\tb\\c\nd"));

  db->bulk_append("event_counters", "event_key, capacity", {Row{"c-1", "3"}});  // autocommit: written at once
  auto other = this->backend_.raw();
  EXPECT_EQ(other->query("SELECT capacity FROM event_counters WHERE event_key = ?", Row{"c-1"}).at(0).at(0),
            std::optional<std::string>("3"));
}

// A failing appended row fails the next statement on the connection, or the
// commit (StoreError, nothing of the transaction kept); a rollback abandons
// an open bulk insert; the connection works afterwards.
TYPED_TEST(BulkWrites_, AFailingAppendedRowFailsTheTransaction) {
  auto db = this->backend_.raw();
  std::vector<Row> rows;
  for (int i = 0; i < 400; ++i) rows.push_back(Row{"f" + std::to_string(i), "1"});
  rows.push_back(Row{"f7", "2"});  // the key again

  db->begin_write();
  try {
    db->bulk_append("event_counters", "event_key, capacity", rows);
    db->query("SELECT COUNT(*) FROM event_counters");  // on PostgreSQL the COPY ends here
    ADD_FAILURE() << "a repeated key was accepted";
  } catch (const StoreError& e) {
    const bool pg = std::is_same_v<TypeParam, PostgresBackend>;
    EXPECT_NE(std::string(e.what()).find(pg ? "(COPY into event_counters)" : "event_counters"), std::string::npos)
        << e.what();
  }
  db->rollback();

  db->begin_write();
  try {
    db->bulk_append("event_counters", "event_key, capacity", rows);
    db->commit();
    ADD_FAILURE() << "a repeated key was committed";
  } catch (const StoreError&) {
    db->rollback();
  }

  rows.pop_back();
  db->begin_write();
  db->bulk_append("event_counters", "event_key, capacity", rows);
  db->rollback();  // abandons it
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("0"));

  db->begin_write();
  db->bulk_append("event_counters", "event_key, capacity", rows);
  db->commit();
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM event_counters").at(0).at(0), std::optional<std::string>("400"));
}

// Rows go to PostgreSQL as COPY's binary format when every column's type has
// a binary form here (bigint, integer, smallint, boolean, text), else as its
// text format (a double column): both give back every value, the extremes
// included, on both stores. A value its column refuses fails the call with
// the table and the column named, and nothing of it stays.
TYPED_TEST(BulkWrites_, ValuesGoInTheFormOfTheirColumns) {
  auto db = this->backend_.raw();
  const bool pg = std::is_same_v<TypeParam, PostgresBackend>;
  db->exec("CREATE TABLE typed (id BIGINT PRIMARY KEY, small SMALLINT, mid INTEGER, flag BOOLEAN, label TEXT)");
  db->exec("CREATE TABLE typed_real (id BIGINT PRIMARY KEY, score DOUBLE PRECISION, label TEXT)");
  const std::vector<Row> rows = {
      Row{"9223372036854775807", "32767", "2147483647", "1", kAwkward},
      Row{"-9223372036854775808", "-32768", "-2147483648", "0", ""},
      Row{"0", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      Row{"42", "-1", "7", "1", "Stra\xC3\x9F" "e \\N"}};
  db->begin_write();
  db->bulk_append("typed", "id, small, mid, flag, label", {rows[0], rows[1]});
  db->bulk_append("typed_real", "id, score, label", {Row{"1", "0.5", "a\tb"}, Row{"2", std::nullopt, "\\."}});
  db->bulk_append("typed", "id, small, mid, flag, label", {rows[2], rows[3]});  // the column types read once this transaction
  db->commit();
  const std::string t = db->true_text(), f = pg ? "f" : "0";
  const auto back = db->query("SELECT id, small, mid, flag, label FROM typed ORDER BY id");
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back[0], (Row{"-9223372036854775808", "-32768", "-2147483648", f, ""}));
  EXPECT_EQ(back[1], (Row{"0", std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(back[2], (Row{"42", "-1", "7", t, "Stra\xC3\x9F" "e \\N"}));
  EXPECT_EQ(back[3], (Row{"9223372036854775807", "32767", "2147483647", t, kAwkward}));
  EXPECT_EQ(db->query("SELECT score, label FROM typed_real ORDER BY id"),
            (std::vector<Row>{Row{"0.5", "a\tb"}, Row{std::nullopt, "\\."}}));

  if (!pg) return;  // SQLite keeps such a value as text (type affinity)
  db->begin_write();
  try {
    db->bulk_append("typed", "id, small, mid, flag, label", {Row{"43", "1", "1", "1", "x"}, Row{"44", "1", "1", "maybe", "y"}});
    db->commit();
    ADD_FAILURE() << "a boolean column took 'maybe'";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("typed"), std::string::npos) << what;
    EXPECT_NE(what.find("column flag"), std::string::npos) << what;
    EXPECT_NE(what.find("\"maybe\""), std::string::npos) << what;
    db->rollback();
  }
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM typed").at(0).at(0), std::optional<std::string>("4"));
  db->bulk_insert("typed", "id, small, mid, flag, label", {Row{"45", "2", "3", "1", "after"}});  // outside a transaction
  EXPECT_EQ(db->query("SELECT label FROM typed WHERE id = 45").at(0).at(0), std::optional<std::string>("after"));
}

// The same statement text over and over (prepared once per connection) sees
// each call's parameters, NULLs included.
TYPED_TEST(BulkWrites_, RepeatedStatementsSeeTheirOwnParameters) {
  auto db = this->backend_.raw();
  const std::string insert = "INSERT INTO event_counters (event_key, capacity) VALUES (?, ?)";
  const std::string select = "SELECT capacity FROM event_counters WHERE event_key = ?";
  for (int i = 0; i < 50; ++i)
    db->query(insert, Row{"p" + std::to_string(i), i % 2 ? std::optional<std::string>(std::to_string(i)) : std::nullopt});
  for (int i = 0; i < 50; ++i) {
    const auto rows = db->query(select, Row{"p" + std::to_string(i)});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0], i % 2 ? std::optional<std::string>(std::to_string(i)) : std::nullopt);
  }
  EXPECT_TRUE(db->query(select, Row{"missing"}).empty());
}

// PostgreSQL: a connection that lost its server session comes back with the
// session settings (prepared statements planned per call) and its statements
// prepared again.
TYPED_TEST(BulkWrites_, AReconnectedPostgresSessionKeepsItsSettings) {
  if constexpr (std::is_same_v<TypeParam, SqliteBackend>) GTEST_SKIP() << "PostgreSQL sessions only";
  auto db = this->backend_.raw();
  const std::string count = "SELECT COUNT(*) FROM event_counters WHERE capacity = ?";
  EXPECT_EQ(db->query(count, Row{"1"}).at(0).at(0), std::optional<std::string>("0"));
  const auto pid = db->query("SELECT pg_backend_pid()").at(0).at(0).value();
  this->backend_.raw()->query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", Row{pid});
  // The first call after the loss fails (the session is gone); the next one reconnects.
  try {
    db->query(count, Row{"1"});
  } catch (const StoreError&) {
  }
  EXPECT_EQ(db->query(count, Row{"1"}).at(0).at(0), std::optional<std::string>("0"));
  EXPECT_NE(db->query("SELECT pg_backend_pid()").at(0).at(0).value(), pid);
  EXPECT_EQ(db->query("SHOW plan_cache_mode").at(0).at(0), std::optional<std::string>("force_custom_plan"));
  EXPECT_EQ(db->query("SHOW client_min_messages").at(0).at(0), std::optional<std::string>("warning"));
}

// A transaction told to plan generically runs each statement with one plan
// for any values (PostgreSQL's generic plan, counted in
// pg_prepared_statements; SQLite plans a statement once anyway), each call
// still finding its own rows; the session's plans per call come back at the
// transaction's end, by commit or by rollback.
TYPED_TEST(BulkWrites_, GenericPlansLastOnlyTheirTransaction) {
  auto db = this->backend_.raw();
  const bool pg = std::is_same_v<TypeParam, PostgresBackend>;
  db->exec("CREATE TABLE plans (id BIGINT PRIMARY KEY, state TEXT NOT NULL)");
  db->query("INSERT INTO plans (id, state) VALUES (1, 'pending'), (2, 'pending'), (3, 'sent'), (4, 'pending')");
  const std::string pending_upto = "SELECT COUNT(*) FROM plans WHERE state = ? AND id <= CAST(? AS BIGINT)";
  const auto count = [&](const std::string& state, int upto) {
    return std::stoi(db->query(pending_upto, Row{state, std::to_string(upto)}).at(0).at(0).value_or("-1"));
  };
  const auto mode = [&] { return db->query("SHOW plan_cache_mode").at(0).at(0).value_or(""); };
  const auto plans = [&] {  // {generic, custom}: the calls of pending_upto run on each kind of plan so far
    const auto r = db->query("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                             "WHERE statement LIKE 'SELECT COUNT(*) FROM plans WHERE state = $1%'");
    return r.empty() ? std::pair<std::string, std::string>{"", ""}
                     : std::pair<std::string, std::string>{r[0][0].value_or(""), r[0][1].value_or("")};
  };
  for (const bool commit : {false, true}) {
    db->begin();
    db->plan_generically();
    if (pg) EXPECT_EQ(mode(), "force_generic_plan");
    for (int i = 0; i < 3; ++i) {  // each call its own values
      EXPECT_EQ(count("pending", 1), 1);
      EXPECT_EQ(count("pending", 4), 3);
      EXPECT_EQ(count("sent", 4), 1);
    }
    db->query("UPDATE plans SET state = 'sent' WHERE id = CAST(? AS BIGINT)", Row{"2"});
    EXPECT_EQ(count("pending", 4), 2);
    if (commit) db->commit();
    else db->rollback();
    if (pg) EXPECT_EQ(mode(), "force_custom_plan");
  }
  EXPECT_EQ(count("pending", 4), 2);  // the rolled-back write is gone, the committed one stays
  EXPECT_EQ(count("sent", 2), 1);
  if (pg) {
    // Both transactions' 20 calls ran on its generic plan; the two calls since, a plan each.
    EXPECT_EQ(plans(), (std::pair<std::string, std::string>{"20", "2"}));
  }
}

// A key prefix is the range [prefix, prefix with its last byte raised): the
// keys just outside it on either side, and a key equal to the prefix itself.
TYPED_TEST(BulkWrites_, EventsWithAKeyPrefixAreThoseKeysAlone) {
  std::vector<Event> events;
  for (const char* key : {"hl27", "hl27-", "hl27-a", "hl27-\xC3\xA9", "hl27.", "hl27.x", "hl26-z", "hl28-a", "hl27,",
                          "y\xC3\xBF", "y\xC3\xBFz", "y\xC4\x80"}) {  // ÿ, ÿz, Ā
    events.push_back(numbered(static_cast<int>(events.size())));
    events.back().key = key;
  }
  this->store_->upsert_events(events, kNow);
  const auto keys_of = [&](const std::string& prefix) {
    std::vector<std::string> keys;
    for (const Event& e : this->store_->events_with_key_prefix(prefix)) keys.push_back(e.key);
    return keys;
  };
  EXPECT_EQ(keys_of("hl27-"), (std::vector<std::string>{"hl27-", "hl27-a", "hl27-\xC3\xA9"}));
  EXPECT_EQ(keys_of("hl27"), (std::vector<std::string>{"hl27", "hl27,", "hl27-", "hl27-a", "hl27-\xC3\xA9", "hl27.", "hl27.x"}));
  EXPECT_EQ(keys_of("hl27-\xC3\xA9"), (std::vector<std::string>{"hl27-\xC3\xA9"}));
  EXPECT_EQ(keys_of("zz"), (std::vector<std::string>{}));
  // A prefix ending in ÿ (C3 BF): its bound is Ā (C4 80), not the bytes C3 C0 PostgreSQL would refuse.
  EXPECT_EQ(keys_of("y\xC3\xBF"), (std::vector<std::string>{"y\xC3\xBF", "y\xC3\xBFz"}));
  EXPECT_EQ(keys_of("").size(), events.size());
}

// Event keys compare and sort by their bytes on both stores (migration 0022:
// PostgreSQL's key columns are COLLATE "C", SQLite's BINARY already is): no
// locale in a key's B-tree, the same order from either store.
TYPED_TEST(BulkWrites_, EventKeysCompareAndSortByTheirBytes) {
  std::vector<Event> events;
  for (const char* key : {"k_c", "k-a", "k-\xC3\xA9", "k-B"}) {  // "k-é"
    events.push_back(numbered(static_cast<int>(events.size())));
    events.back().key = key;
  }
  this->store_->upsert_events(events, kNow);
  std::vector<std::string> keys;
  for (const Event& e : this->store_->events_with_key_prefix("k")) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"k-B", "k-a", "k-\xC3\xA9", "k_c"}));
  if constexpr (std::is_same_v<TypeParam, PostgresBackend>) {
    // Every column that holds event keys, including one a later migration adds, is "C": PostgreSQL refuses to
    // compare text of two different implicit collations, so one left behind breaks a join.
    const auto left = this->backend_.raw()->query(
        "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name IN ('key', 'event_key', 'target_key', 'event_keys') AND table_name <> 'rate_limits' "
        "AND collation_name IS DISTINCT FROM 'C' ORDER BY 1");
    std::vector<std::string> names;
    for (const auto& r : left) names.push_back(r.at(0).value_or(""));
    EXPECT_EQ(names, std::vector<std::string>{});
    EXPECT_EQ(this->backend_.raw()->query("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                                         "AND column_name IN ('key', 'event_key') AND collation_name = 'C'")
                  .at(0).at(0),
              std::optional<std::string>("13"));
  }
}

// The changelog's recent entries (newest snapshot first, each snapshot's
// changes in order) are read along an index (migration 0023), not sorted:
// after a first publish of 100,000 events, sorting them to keep 1,000 took
// 0.16 s on each server at each publish. The query is a copy of
// SqlStore::recent_changes()'s (keep the two in step); PostgreSQL is told to
// avoid sorts, so that the plan shows whether an index gives the order.
TYPED_TEST(BulkWrites_, TheChangelogsRecentEntriesAreReadAlongAnIndex) {
  const std::string query =
      "SELECT event_key, change, fields, details, snapshot_number FROM snapshot_changes "
      "WHERE snapshot_number <= CAST(? AS BIGINT) ORDER BY snapshot_number DESC, position LIMIT 1000";
  auto db = this->backend_.raw();
  std::string plan;
  if constexpr (std::is_same_v<TypeParam, PostgresBackend>) {
    db->exec("SET enable_sort = off");
    db->exec("SET enable_incremental_sort = off");
    for (const auto& r : db->query("EXPLAIN " + query, Row{"5"})) plan += r.at(0).value_or("") + "\n";
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
  } else {
    for (const auto& r : db->query("EXPLAIN QUERY PLAN " + query, Row{"5"})) plan += r.back().value_or("") + "\n";
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
  EXPECT_NE(plan.find("snapshot_changes_recent"), std::string::npos) << plan;
}

// insert_byte_rows writes a row a value with seq 0, 1, 2, … (any bytes: NUL,
// invalid UTF-8, empty); each_byte_row gives them back in seq order, each
// whole, for that key only, and counts them; a row already there is refused
// and rolls back with its transaction; what `each` throws comes out and the
// connection goes on; a NULL value is refused.
TYPED_TEST(BulkWrites_, ByteRowsComeBackInOrderForTheirKey) {
  auto db = this->backend_.raw();
  const bool pg = std::is_same_v<TypeParam, PostgresBackend>;
  db->exec(std::string("CREATE TABLE frames (owner BIGINT NOT NULL, seq INTEGER NOT NULL, frame ") + (pg ? "BYTEA" : "BLOB") +
           ", PRIMARY KEY (owner, seq))");
  std::string large;
  for (int i = 0; large.size() < (std::size_t{3} << 20) + 5; ++i) large.push_back(static_cast<char>((i * 131) % 256));
  const std::vector<std::string> values = {std::string("\0\xff\x80x", 4), large, "", "last"};
  const std::vector<std::string_view> views(values.begin(), values.end());
  db->insert_byte_rows("frames", "owner", 7, "seq", "frame", views);
  db->insert_byte_rows("frames", "owner", 3, "seq", "frame", {"other"});
  const auto read = [&](std::int64_t owner) {
    std::vector<std::string> seen;
    const std::size_t n = db->each_byte_row("frames", "owner", owner, "seq", "frame",
                                            [&](std::string_view bytes) { seen.emplace_back(bytes); });
    EXPECT_EQ(n, seen.size());
    return seen;
  };
  EXPECT_EQ(read(7), values);
  EXPECT_EQ(read(3), std::vector<std::string>{"other"});
  EXPECT_TRUE(read(4).empty());
  EXPECT_EQ(db->query("SELECT seq FROM frames WHERE owner = 7 ORDER BY seq"),
            (std::vector<Row>{Row{"0"}, Row{"1"}, Row{"2"}, Row{"3"}}));
  // Stored as binary: PostgreSQL counts the bytes, not hex digits.
  EXPECT_EQ(db->query("SELECT " + std::string(pg ? "octet_length" : "length") + "(frame) FROM frames WHERE owner = 7 AND seq = 0")
                .at(0).at(0),
            std::optional<std::string>("4"));
  // Rows already there: refused, and the transaction's rows go with its rollback.
  db->begin_write();
  db->insert_byte_rows("frames", "owner", 5, "seq", "frame", {"new"});
  EXPECT_THROW(db->insert_byte_rows("frames", "owner", 7, "seq", "frame", {"again"}), StoreError);
  db->rollback();
  EXPECT_TRUE(read(5).empty());
  EXPECT_EQ(read(7), values);
  // What `each` throws comes out after the rest is drained; the connection goes on.
  int calls = 0;
  EXPECT_THROW(db->each_byte_row("frames", "owner", 7, "seq", "frame",
                                 [&](std::string_view) {
                                   ++calls;
                                   throw std::runtime_error("stop");
                                 }),
               std::runtime_error);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(read(3), std::vector<std::string>{"other"});
  // A NULL value is no frame.
  db->exec("INSERT INTO frames (owner, seq, frame) VALUES (9, 0, NULL)");
  EXPECT_THROW(read(9), StoreError);
  EXPECT_EQ(read(3), std::vector<std::string>{"other"});
}

// read_bytes: a value of megabytes comes back whole, byte for byte (SQLite:
// incremental blob I/O by rowid); a missing row and a NULL are nullopt; a key
// that is not SQLite's rowid is looked up by its value, not taken as a rowid.
// write_bytes stores any bytes (NUL and invalid UTF-8 too) as binary;
// with_bytes gives the same bytes as read_bytes, without the copy.
TYPED_TEST(BulkWrites_, ReadAndWriteBytesGiveLargeValuesWholeByTheirKey) {
  auto db = this->backend_.raw();
  const bool pg = std::is_same_v<TypeParam, PostgresBackend>;
  db->exec(std::string("CREATE TABLE big_values (id INTEGER PRIMARY KEY, body TEXT, data ") + (pg ? "BYTEA" : "BLOB") + ")");
  db->exec("CREATE TABLE keyed_values (code BIGINT NOT NULL UNIQUE, body TEXT)");
  std::string large;
  for (int i = 0; large.size() < (std::size_t{6} << 20); ++i)
    large += "{\"key\":\"ev-" + std::to_string(i) + "\",\"title\":\"Straße\tcafé " + std::to_string(i * 7) + "\"}\n";
  db->query("INSERT INTO big_values (id, body) VALUES (?, ?), (?, ?), (?, ?)",
            Row{"3", large, "4", "short", "5", std::nullopt});
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 3), std::optional<std::string>(large));
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 4), std::optional<std::string>("short"));
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 5), std::nullopt);
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 6), std::nullopt);
  db->query("INSERT INTO keyed_values (code, body) VALUES (?, ?), (?, ?)", Row{"7", "first row", "1", "second row"});
  EXPECT_EQ(db->read_bytes("keyed_values", "body", "code", 1), std::optional<std::string>("second row"));
  EXPECT_EQ(db->read_bytes("keyed_values", "body", "code", 2), std::nullopt);

  std::string binary;
  for (int i = 0; binary.size() < (std::size_t{5} << 20) + 17; ++i) binary.push_back(static_cast<char>((i * 131) % 256));
  db->write_bytes("big_values", "data", "id", 3, binary);
  db->write_bytes("big_values", "data", "id", 4, std::string("\0\xff\x80x", 4));
  db->write_bytes("big_values", "data", "id", 5, "");
  EXPECT_EQ(db->read_bytes("big_values", "data", "id", 3), std::optional<std::string>(binary));
  EXPECT_EQ(db->read_bytes("big_values", "data", "id", 4), std::optional<std::string>(std::string("\0\xff\x80x", 4)));
  EXPECT_EQ(db->read_bytes("big_values", "data", "id", 5), std::optional<std::string>(""));
  // with_bytes: the same bytes as a view during the call; not called for a NULL or a missing row.
  const auto viewed = [&](const std::string& column, std::int64_t key) {
    std::optional<std::string> seen;
    int calls = 0;
    const bool found = db->with_bytes("big_values", column, "id", key, [&](std::string_view bytes) {
      seen = std::string(bytes);
      ++calls;
    });
    EXPECT_EQ(found, seen.has_value());
    EXPECT_LE(calls, 1);
    return seen;
  };
  EXPECT_EQ(viewed("data", 3), std::optional<std::string>(binary));
  EXPECT_EQ(viewed("data", 4), std::optional<std::string>(std::string("\0\xff\x80x", 4)));
  EXPECT_EQ(viewed("data", 5), std::optional<std::string>(""));
  EXPECT_EQ(viewed("body", 3), std::optional<std::string>(large));
  EXPECT_EQ(viewed("body", 5), std::nullopt);
  EXPECT_EQ(viewed("data", 6), std::nullopt);
  // What `use` throws comes out, and the connection goes on.
  EXPECT_THROW(db->with_bytes("big_values", "data", "id", 3, [](std::string_view) { throw StoreError("stop"); }), StoreError);
  EXPECT_EQ(viewed("data", 4), std::optional<std::string>(std::string("\0\xff\x80x", 4)));
  EXPECT_THROW(db->write_bytes("big_values", "data", "id", 9, "x"), StoreError);  // no such row
  // Stored as binary: PostgreSQL counts the bytes, not hex digits or characters.
  EXPECT_EQ(db->query("SELECT " + std::string(pg ? "octet_length" : "length") + "(data) FROM big_values WHERE id = 4").at(0).at(0),
            std::optional<std::string>("4"));
  // Inside a write transaction it sees the transaction's own rows; a rollback takes the bytes back.
  db->begin_write();
  db->query("UPDATE big_values SET body = ? WHERE id = 4", Row{"changed"});
  // PostgreSQL plans the write generically inside a transaction, then puts back the
  // setting it had (here one set for the transaction), and leaves the session's alone.
  if (pg) {
    EXPECT_EQ(db->query("SHOW plan_cache_mode").at(0).at(0), std::optional<std::string>("force_custom_plan"));
    db->exec("SET LOCAL plan_cache_mode = auto");
  }
  db->write_bytes("big_values", "data", "id", 4, "new");
  if (pg) {
    EXPECT_EQ(db->query("SHOW plan_cache_mode").at(0).at(0), std::optional<std::string>("auto"));
  }
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 4), std::optional<std::string>("changed"));
  EXPECT_EQ(db->read_bytes("big_values", "data", "id", 4), std::optional<std::string>("new"));
  db->rollback();
  EXPECT_EQ(db->read_bytes("big_values", "body", "id", 4), std::optional<std::string>("short"));
  EXPECT_EQ(db->read_bytes("big_values", "data", "id", 4), std::optional<std::string>(std::string("\0\xff\x80x", 4)));
  if (pg) {
    EXPECT_EQ(db->query("SHOW plan_cache_mode").at(0).at(0), std::optional<std::string>("force_custom_plan"));
  }
}
