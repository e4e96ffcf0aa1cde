#pragma once
// Opens a fresh, empty store for each test: a temporary SQLite file, or a new
// database on the test PostgreSQL cluster (MARQUEE_TEST_PG_ADMIN_URL).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "adapters/postgres/pg_connection.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/store/sql_connection.hpp"
#include "ports/store.hpp"

namespace marquee::testing {

struct SqliteBackend {
  static constexpr const char* name = "sqlite";
  std::filesystem::path dir;
  std::string url;
  void create() {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          ("marquee-store-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    url = "sqlite:///" + (dir / "store.db").string();
  }
  void destroy() { std::filesystem::remove_all(dir); }
  /// A plain SQL connection to the test's database (to look at or set up rows directly).
  std::unique_ptr<SqlConnection> raw() const { return open_sqlite((dir / "store.db").string()); }
};

struct PostgresBackend {
  static constexpr const char* name = "postgres";
  std::string admin, db, url;
  void create() {
    const char* a = std::getenv("MARQUEE_TEST_PG_ADMIN_URL");
    if (!a) GTEST_SKIP() << "MARQUEE_TEST_PG_ADMIN_URL not set: run through `make test` (scripts/with-postgres.sh)";
    admin = a;
    static std::atomic<int> counter{0};
    db = "marquee_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    open_postgres(admin)->exec("CREATE DATABASE " + db);
    url = admin.substr(0, admin.rfind('/') + 1) + db;
  }
  void destroy() {
    if (!db.empty()) open_postgres(admin)->exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }
  /// A plain SQL connection to the test's database (to look at or set up rows directly).
  std::unique_ptr<SqlConnection> raw() const { return open_postgres(url); }
};

template <typename Backend>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_.create();
    if (IsSkipped()) return;
    store_ = open_store(backend_.url);
    store_->migrate();
  }
  void TearDown() override {
    store_.reset();
    backend_.destroy();
  }
  /// A second, independent connection to the same database (another process's view).
  std::unique_ptr<Store> reopen() { return open_store(backend_.url); }

  Backend backend_;
  std::unique_ptr<Store> store_;
};

struct BackendNames {
  template <typename T>
  static std::string GetName(int) { return T::name; }
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;

}  // namespace marquee::testing
