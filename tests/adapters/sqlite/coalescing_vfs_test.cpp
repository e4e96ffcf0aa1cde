// The gathering VFS (adapters/sqlite/coalescing_vfs): fewer writes for the
// same bytes, a connection reading what it wrote but did not yet write out,
// and nothing written late over another connection's log.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "adapters/sqlite/coalescing_vfs.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"

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
// sound, and the log and the checkpoint took far fewer writes than SQLite
// asked for (a frame is a header and a page; a checkpoint writes page by page).
TEST(CoalescingVfs, ABigTransactionIsWhole_AndWrittenInFewerCalls) {
  TempDir dir;
  const auto before = coalescing_vfs_counts();
  {
    auto db = open_sqlite((dir.path / "big.db").string());
    db->exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)");
    db->exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 3000; ++i)
      db->query("INSERT INTO t (k, v) VALUES (?, ?)", Row{"key-" + std::to_string(i * 7919 % 3000), std::string(2000, 'a' + i % 26)});
    db->exec("COMMIT");
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    EXPECT_EQ(count_of(*db, "SELECT COUNT(*) FROM t"), "3000");
    EXPECT_EQ(count_of(*db, "SELECT v FROM t WHERE k = 'key-0'"), std::string(2000, 'a'));
    EXPECT_EQ(count_of(*db, "PRAGMA integrity_check"), "ok");
  }
  const auto after = coalescing_vfs_counts();
  const auto asked = after.asked - before.asked;
  const auto written = after.written - before.written;
  EXPECT_GT(asked, 3000u);
  EXPECT_LT(written * 4, asked) << written << " writes for " << asked << " asked";
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
