// SqlConnection::query on SQLite and PostgreSQL: every value comes back as the
// text the database would print for it, NULL as no value; and connections of
// one store used by several threads at once, each its own.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "adapters/store/sql_connection.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

template <typename B>
using SqlConnection_ = StoreTest<B>;
TYPED_TEST_SUITE(SqlConnection_, Backends, BackendNames);

// Integers are read as numbers on SQLite and printed by us: the same digits as
// the database's own text, at both ends of the 64-bit range.
TYPED_TEST(SqlConnection_, EachValueComesBackAsItsText) {
  auto db = this->backend_.raw();
  const auto rows = db->query(
      "SELECT CAST(0 AS BIGINT), CAST(-1 AS BIGINT), CAST('9223372036854775807' AS BIGINT), "
      "CAST('-9223372036854775808' AS BIGINT), CAST(1812830400 AS BIGINT), NULL, '', 'Straße \"x\"', 2.5");
  ASSERT_EQ(rows.size(), 1u);
  const Row want{"0", "-1", "9223372036854775807", "-9223372036854775808", "1812830400", std::nullopt, "", "Straße \"x\"",
                 "2.5"};
  EXPECT_EQ(rows[0], want);
}

// query_each gives the same values as query, with parameters (PostgreSQL's
// single-row mode) and without (PostgreSQL's COPY text, whose escapes are
// decoded): control characters, backslashes, a text "\\N", NULL, UTF-8.
TYPED_TEST(SqlConnection_, QueryEachGivesTheValuesQueryGives) {
  auto db = this->backend_.raw();
  db->begin_write();
  db->execute_many("INSERT INTO settings (name, value) VALUES (?, ?)",
                   {Row{"a", "tab\there\nnew line\r\\ back\\slash \\N"}, Row{"b", "\\N"}, Row{"c", ""},
                    Row{"d", "\b\f\v\x01 Caf\xC3\xA9 \xF0\x9F\x8E\xAB"}, Row{"e", " "}});
  db->commit();
  const std::string select = "SELECT name, value, CAST(-9223372036854775807 AS BIGINT), NULL, 2.5 FROM settings "
                             "WHERE name IN ('a', 'b', 'c', 'd', 'e') ORDER BY name";
  const auto want = db->query(select);
  ASSERT_EQ(want.size(), 5u);
  EXPECT_EQ(want[1][1], std::optional<std::string>("\\N"));
  EXPECT_EQ(want[4][3], std::nullopt);
  std::vector<Row> without, with;
  db->query_each(select, {}, [&](Row&& r) { without.push_back(std::move(r)); });
  db->query_each(select + " LIMIT ?", Row{"10"}, [&](Row&& r) { with.push_back(std::move(r)); });
  EXPECT_EQ(without, want);
  EXPECT_EQ(with, want);
  // A query ending in a comment; a statement that is not a query (PostgreSQL: single-row mode).
  std::vector<Row> commented, returned;
  db->query_each("SELECT name FROM settings WHERE name = 'b' -- the one", {}, [&](Row&& r) { commented.push_back(std::move(r)); });
  EXPECT_EQ(commented, (std::vector<Row>{Row{"b"}}));
  db->query_each("INSERT INTO settings (name, value) VALUES ('z', 'zz') RETURNING value", {},
                 [&](Row&& r) { returned.push_back(std::move(r)); });
  EXPECT_EQ(returned, (std::vector<Row>{Row{"zz"}}));
  if (db->backend() == "postgres") {  // no columns (SQLite has no such query): empty rows, as query() gives
    std::vector<Row> empty;
    db->query_each("SELECT FROM settings WHERE name IN ('a', 'b')", {}, [&](Row&& r) { empty.push_back(std::move(r)); });
    EXPECT_EQ(empty, db->query("SELECT FROM settings WHERE name IN ('a', 'b')"));
    EXPECT_EQ(empty, (std::vector<Row>{Row{}, Row{}}));
  }
}

// A stored row's integer, NULL and empty columns, through a bound parameter.
TYPED_TEST(SqlConnection_, StoredIntegersNullsAndEmptyTextComeBack) {
  auto db = this->backend_.raw();
  db->begin_write();
  db->execute_many("INSERT INTO event_counters (event_key, capacity, confirmed) VALUES (?, ?, ?)",
                   {Row{"a", std::nullopt, "0"}, Row{"", "123456789012", "7"}});
  db->commit();
  const auto rows =
      db->query("SELECT event_key, capacity, confirmed FROM event_counters WHERE confirmed >= ? ORDER BY confirmed", Row{"0"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"a", std::nullopt, "0"}));
  EXPECT_EQ(rows[1], (Row{"", "123456789012", "7"}));
}

// Connections are not locked for each call (SQLite's multi-thread mode): the
// store's pool leases each to one thread at a time. Eight threads writing and
// reading through one store (four connections on SQLite, eight on PostgreSQL)
// each see their own writes, and every write lands once.
TYPED_TEST(SqlConnection_, OneStoreServesManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kEvents = 40;
  std::vector<std::future<void>> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.push_back(std::async(std::launch::async, [this, t] {
      for (int i = 0; i < kEvents; ++i) {
        const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
        this->store_->upsert_events({an_event(key).title("Thread " + std::to_string(t))}, 1795000000 + i);
        const auto found = this->store_->find_event(key);
        ASSERT_TRUE(found.has_value()) << key;
        EXPECT_EQ(found->title, "Thread " + std::to_string(t));
      }
    }));
  for (auto& f : threads) f.get();
  EXPECT_EQ(this->store_->count_events(), kThreads * kEvents);
  EXPECT_EQ(this->store_->list_events().size(), static_cast<std::size_t>(kThreads * kEvents));
}

namespace {
const std::string kFailsAfterRows =
    "WITH RECURSIVE g(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM g WHERE v < 5000) "
    "SELECT CASE WHEN v < 1000 THEN v ELSE abs(CAST('-9223372036854775808' AS BIGINT) + v - v) END FROM g";
struct Enough {};
}  // namespace

// query_each hands rows on as they come (PostgreSQL: as COPY text without
// parameters, in single-row mode with them): an error after some rows still
// fails the call with the database's reason, and the connection runs the next
// statement.
TYPED_TEST(SqlConnection_, QueryEachFailsWithTheErrorThatEndsTheRows) {
  auto db = this->backend_.raw();
  for (const Row& params : {Row{}, Row{"100000"}}) {
    int seen = 0;
    try {
      db->query_each(params.empty() ? kFailsAfterRows : kFailsAfterRows + " LIMIT ?", params, [&](Row&&) { ++seen; });
      ADD_FAILURE() << "no error after " << seen << " rows";
    } catch (const StoreError& e) {
      EXPECT_TRUE(std::string(e.what()).find("range") != std::string::npos ||
                  std::string(e.what()).find("overflow") != std::string::npos)
          << e.what();
    }
    EXPECT_EQ(seen, 999) << params.size();  // every row before the failing one (PostgreSQL: handed on before the error came)
    EXPECT_EQ(db->query("SELECT 1 + 1").at(0).at(0), std::optional<std::string>("2"));
  }
}

// A caller that stops (throws from its callback) gets its own exception, and
// the rest of the result is dropped: the connection runs the next statement
// (with and without parameters).
TYPED_TEST(SqlConnection_, QueryEachStopsWhenTheCallerThrows) {
  auto db = this->backend_.raw();
  const std::string numbers = "WITH RECURSIVE g(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM g WHERE v < 5000) SELECT v FROM g";
  for (const Row& params : {Row{}, Row{"100000"}}) {
    const std::string limit = params.empty() ? "" : " LIMIT ?";
    int seen = 0;
    EXPECT_THROW(db->query_each(numbers + limit, params,
                                [&](Row&&) {
                                  if (++seen == 10) throw Enough{};
                                }),
                 Enough);
    EXPECT_EQ(seen, 10);
    EXPECT_EQ(db->query("SELECT 40 + 2").at(0).at(0), std::optional<std::string>("42"));
    // And a statement that fails on its first row leaves it usable too.
    EXPECT_THROW(db->query_each(kFailsAfterRows + " WHERE v > 2000" + limit, params, [](Row&&) {}), StoreError);
    EXPECT_EQ(db->query("SELECT 40 + 3").at(0).at(0), std::optional<std::string>("43"));
  }
}
