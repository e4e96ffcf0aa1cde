// The gathering VFS (adapters/sqlite/coalescing_vfs): fewer writes for the
// same bytes, a connection reading what it wrote but did not yet write out,
// and nothing written late over another connection's log.
#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "adapters/sqlite/coalescing_vfs.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "ports/store.hpp"

using namespace marquee;

namespace {

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("marquee-vfs-" + std::to_string(::getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::string count_of(SqlConnection& db, const std::string& sql) { return db.query(sql, {}).at(0).at(0).value_or(""); }

}  // namespace

// 3,000 rows of 2 KB in one transaction spill pages to the log before the
// commit and read some back: every row is there afterwards, the file is
// sound, and the log took far fewer writes than SQLite asked for (a frame is
// a header and a page).
TEST(CoalescingVfs, ABigTransactionIsWhole_AndWrittenInFewerCalls) {
  TempDir dir;
  const auto before = coalescing_vfs_counts();
  CoalescingVfsCounts after;
  {
    auto db = open_sqlite((dir.path / "big.db").string());
    db->exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)");
    db->exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 3000; ++i)
      db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{"key-" + std::to_string(i * 7919 % 3000), std::string(2000, 'a' + i % 26)});
    db->exec("COMMIT");
    after = coalescing_vfs_counts();
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t"), "3000");
    EXPECT_EQ(count_of(*db, "SELECT v FROM t WHERE k = 'key-0'"), std::string(2000, 'a'));
    EXPECT_EQ(count_of(*db, "PRAGMA integrity_check"), "ok");
  }
  const auto asked = after.asked - before.asked;
  const auto written = after.written - before.written;
  EXPECT_GT(asked, 3000u);
  EXPECT_LT(written * 2, asked) << written << " writes for " << asked << " asked";
}

// A transaction that spilled frames to the log and rolled back ends with its
// frames written out before it lets go of the log: the next writer writes the
// same part of the log, and no frame of the rolled-back one may land on it later.
TEST(CoalescingVfs, ARolledBackTransactionWritesNothingOverTheNextWriter) {
  TempDir dir;
  const std::string path = (dir.path / "two.db").string();
  auto a = open_sqlite(path);
  auto b = open_sqlite(path);
  a->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
  a->exec("PRAGMA cache_size = 20");  // spill early: frames written (and gathered) before the rollback
  a->exec("BEGIN IMMEDIATE");
  for (int i = 0; i < 400; ++i) a->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::string(3000, 'r')});
  a->exec("ROLLBACK");
  b->exec("BEGIN IMMEDIATE");  // more pages than the rolled-back one: over all of its frames
  for (int i = 0; i < 500; ++i) b->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::string(3000, 'b')});
  b->exec("COMMIT");
  a.reset();  // closing writes out whatever it still held
  b.reset();
  auto fresh = open_sqlite(path);
  EXPECT_EQ(count_of(*fresh, "SELECT COUNT(*) FROM t"), "500");
  EXPECT_EQ(count_of(*fresh, "SELECT COUNT(*) FROM t WHERE v = '" + std::string(3000, 'b') + "'"), "500");
  EXPECT_EQ(count_of(*fresh, "PRAGMA integrity_check"), "ok");
}

// A transaction whose spilled pages are written again makes SQLite rewrite
// the checksum of every later frame at its commit (read with its header,
// header written back: through the VFS's read-ahead window). The log is
// then left as it is, without a checkpoint, and a new connection recovers
// it: it keeps frames only while their checksums hold, so every row is there
// only when each rewritten header reached the file.
TEST(CoalescingVfs, RewrittenChecksumsHoldWhenTheLogIsRecovered) {
  TempDir dir;
  const std::string path = (dir.path / "recover.db").string();
  const auto exec = [](sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    return rc == SQLITE_OK ? std::string() : message;
  };
  sqlite3* a = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &a, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, coalescing_vfs()), SQLITE_OK);
  EXPECT_EQ(exec(a, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; "
                    "PRAGMA cache_size = 30; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v)"),
            "");
  const auto before = coalescing_vfs_counts();
  EXPECT_EQ(exec(a, "BEGIN IMMEDIATE"), "");
  for (int i = 0; i < 2000; ++i)  // random index entries: index pages spilled, then written again
    EXPECT_EQ(exec(a, "INSERT INTO t (k, v) VALUES (" + std::to_string(i) + ", printf('%08d', " +
                          std::to_string(i * 7919 % 2000) + ") || hex(randomblob(300)))"),
              "");
  EXPECT_EQ(exec(a, "COMMIT"), "");
  const auto after = coalescing_vfs_counts();
  EXPECT_GT(after.from_window - before.from_window, 500u) << "the checksums' pass read ahead";
  int off = 1;
  sqlite3_db_config(a, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &off);
  ASSERT_EQ(sqlite3_close(a), SQLITE_OK);
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 1000000u);

  const auto recovered_before = coalescing_vfs_counts();
  auto fresh = open_sqlite(path);  // recovers the log
  EXPECT_EQ(count_of(*fresh, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_GT(coalescing_vfs_counts().from_window - recovered_before.from_window, 500u) << "the recovery read ahead";
  EXPECT_EQ(count_of(*fresh, "SELECT COUNT(DISTINCT substr(v, 1, 8)) FROM t"), "2000");
  EXPECT_EQ(count_of(*fresh, "PRAGMA integrity_check"), "ok");
}

// A delayed write that fails (here the log may not grow past a size limit,
// as on a full disk) fails the transaction: it does not commit without the
// frames that could not be written. Once it is rolled back, the connection
// writes again.
TEST(CoalescingVfs, AFailedDelayedWriteFailsTheTransactionNotTheNextOne) {
  TempDir dir;
  auto db = open_sqlite((dir.path / "limit.db").string());
  db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
  db->exec("INSERT INTO t (k, v) VALUES (0, 'before')");
  struct rlimit was {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &was), 0);
  const auto old_handler = ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
  struct rlimit limit = was;
  limit.rlim_cur = 2 * 1024 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  std::string failure;
  try {
    db->exec("BEGIN IMMEDIATE");
    for (int i = 1; i <= 1500; ++i)  // about 4.5 MB of log
      db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::string(3000, 'x')});
    db->exec("COMMIT");
  } catch (const StoreError& e) {
    failure = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &was);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_NE(failure, "") << "the transaction committed past the limit";
  try {
    db->exec("ROLLBACK");
  } catch (const StoreError&) {  // SQLite may have rolled it back already
  }
  EXPECT_EQ(count_of(*db, "SELECT group_concat(v) FROM t"), "before");
  db->exec("BEGIN IMMEDIATE");
  for (int i = 1; i <= 100; ++i) db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::string(3000, 'y')});
  db->exec("COMMIT");
  EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t"), "101");
  db.reset();
  auto fresh = open_sqlite((dir.path / "limit.db").string());
  EXPECT_EQ(count_of(*fresh, "SELECT COUNT(*) FROM t"), "101");
  EXPECT_EQ(count_of(*fresh, "PRAGMA integrity_check"), "ok");
}

// A statement inside a larger transaction that changes about 1.5 MB of
// existing pages keeps its statement journal in memory (SQLite's default
// spills it to a temporary file past 64 KiB); one that a constraint stops
// near its end is still undone alone, its transaction going on. One that
// changes more than kStatementJournalInMemory goes to a file.
TEST(CoalescingVfs, StatementJournalsStayInMemoryUpToTheirBound_AndStillUndoAStatement) {
  TempDir dir;
  auto db = open_sqlite((dir.path / "journal.db").string());
  db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  db->exec("BEGIN IMMEDIATE");
  for (int i = 1; i <= 2000; ++i) db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::to_string(i) + std::string(300, 'a')});
  db->exec("COMMIT");
  const auto before = coalescing_vfs_counts();
  db->exec("BEGIN IMMEDIATE");
  db->exec("INSERT INTO t (k, v) VALUES (5000, 'kept')");
  db->exec("UPDATE t SET v = v || 'b' WHERE k <= 2000");  // every page of both trees
  // Row 1999 takes row 1's value: the UNIQUE index stops the statement after 1,998 rows changed.
  std::string stopped;
  try {
    db->exec("UPDATE t SET v = CASE WHEN k = 1999 THEN (SELECT v FROM t WHERE k = 1) ELSE v || 'c' END WHERE k <= 2000");
  } catch (const StoreError& e) {
    stopped = e.what();
  }
  EXPECT_NE(stopped.find("UNIQUE"), std::string::npos) << stopped;
  db->exec("COMMIT");
  EXPECT_EQ(coalescing_vfs_counts().statement_journals - before.statement_journals, 0u)
      << "a statement journal went to a temporary file";
  EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t WHERE v LIKE '%b'"), "2000") << "the first update is kept";
  EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t WHERE v LIKE '%c'"), "0") << "the stopped update is undone";
  EXPECT_EQ(count_of(*db, "SELECT v FROM t WHERE k = 5000"), "kept");
  EXPECT_EQ(count_of(*db, "PRAGMA integrity_check"), "ok");

  // About 5 MB of rows and as much of their index: past the bound.
  db->exec("BEGIN IMMEDIATE");
  for (int i = 10000; i < 18000; ++i) db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{std::to_string(i), std::to_string(i) + std::string(600, 'd')});
  db->exec("COMMIT");
  const auto large = coalescing_vfs_counts();
  db->exec("BEGIN IMMEDIATE");
  db->exec("INSERT INTO t (k, v) VALUES (5001, 'also kept')");
  db->exec("UPDATE t SET v = v || 'e' WHERE k >= 10000");
  db->exec("COMMIT");
  EXPECT_EQ(coalescing_vfs_counts().statement_journals - large.statement_journals, 1u) << "the large journal did not go to a file";
  EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t WHERE v LIKE '%e'"), "8000");
  EXPECT_EQ(count_of(*db, "PRAGMA integrity_check"), "ok");
}
