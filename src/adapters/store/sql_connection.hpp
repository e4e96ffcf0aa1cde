#pragma once
// The small SQL surface the generic store needs from a database driver.
// All parameters and results are text (nullopt = NULL); placeholders are '?'.
#include <string>
#include <vector>

#include "adapters/store/event_row.hpp"

namespace marquee {

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  /// "sqlite" or "postgres": selects migrations/<backend>/.
  virtual std::string backend() const = 0;
  /// How the backend prints boolean true in query results.
  virtual std::string true_text() const = 0;
  /// Runs one statement without parameters. Throws StoreError.
  virtual void exec(const std::string& sql) = 0;
  /// Runs one statement with positional '?' parameters; returns all rows.
  /// Throws StoreError.
  virtual std::vector<Row> query(const std::string& sql, const Row& params = {}) = 0;
  /// Starts a write transaction that holds the database's write lock for its
  /// whole duration (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN plus a
  /// transaction-level advisory lock), so read-compare-write is safe.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  /// Rolls back the open transaction, if any; never throws.
  virtual void rollback() noexcept = 0;
};

/// Runs `fn` inside begin_write()/commit(); rolls back and rethrows on any exception.
template <typename Fn>
auto in_write_transaction(SqlConnection& c, Fn&& fn) {
  c.begin_write();
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      c.commit();
    } else {
      auto result = fn();
      c.commit();
      return result;
    }
  } catch (...) {
    c.rollback();
    throw;
  }
}

}  // namespace marquee
