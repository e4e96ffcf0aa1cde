// Issue 13, item 17: a store failure says what it is, so the log and the 503
// can say "disk full" when it is.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "adapters/postgres/pg_connection.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "ports/store.hpp"

using namespace marquee;

TEST(StoreErrorCause, SqliteFullDatabaseIsDiskFull) {
  const auto dir = std::filesystem::temp_directory_path() / ("marquee-full-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = open_sqlite((dir / "full.db").string());
  db->exec("CREATE TABLE t (v TEXT)");
  // The database may not grow past a few pages: SQLite answers SQLITE_FULL,
  // exactly as on a full disk.
  db->query("PRAGMA max_page_count = 8", {});
  StoreError::Cause cause = StoreError::Cause::failed;
  std::string what;
  try {
    for (int i = 0; i < 100; ++i) db->query("INSERT INTO t (v) VALUES (?)", Row{std::string(4000, 'x')});
  } catch (const StoreError& e) {
    cause = e.cause();
    what = e.what();
  }
  EXPECT_EQ(cause, StoreError::Cause::disk_full) << what;
  std::filesystem::remove_all(dir);
}

TEST(StoreErrorCause, UnreachablePostgresIsUnreachable) {
  try {
    open_postgres("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
    FAIL() << "connected to port 1";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.cause(), StoreError::Cause::unreachable) << e.what();
  }
}
