#pragma once
// The small SQL surface the generic store needs from a database driver.
// Parameters and results are text (nullopt = NULL), except the bytes of
// read_bytes/write_bytes; placeholders are '?'.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  /// Runs `sql` as query() does and hands each row to `each` as it is read
  /// (`each` may move the values out), so that a large result is never held
  /// whole: SQLite steps the statement row by row; PostgreSQL reads a query
  /// without parameters (one starting SELECT, WITH or VALUES) as
  /// `COPY (sql) TO STDOUT` (libpq made a result per row in single-row
  /// mode), and any other statement in libpq's single-row mode (COPY takes
  /// no parameters), the values the same text either way; other backends may read the whole result first
  /// (the default). `each` must not use this connection: its statement is
  /// still running (SQLite's statement cache would reset or finalize it;
  /// libpq refuses another command). Throws StoreError (on PostgreSQL after
  /// the rows before the error were handed on), or what `each` throws (the
  /// statement is then abandoned, its rest read and dropped).
  virtual void query_each(const std::string& sql, const Row& params, const std::function<void(Row&&)>& each) {
    for (auto& row : query(sql, params)) each(std::move(row));
  }
  /// Runs `sql` (a write: its result rows are dropped) once for each row of
  /// `params`, in order, without a round trip per row where the backend can
  /// (SQLite: one prepared statement; PostgreSQL: libpq's pipeline mode).
  /// Throws StoreError at the first failure (the transaction must then be
  /// rolled back; rows after it may or may not have run).
  virtual void execute_many(const std::string& sql, const std::vector<Row>& params) {
    for (const auto& p : params) query(sql, p);
  }
  /// Inserts `rows` (values as text, nullopt = NULL, in the order of
  /// `columns`, a comma-separated list) into `table`: SQLite steps cached
  /// 64-row INSERT OR FAIL statements (no statement journal; one row a
  /// statement into a table with a foreign key); PostgreSQL streams them
  /// with COPY FROM STDIN (binary format when every column is bigint,
  /// integer, smallint, boolean or text, the integers and booleans read from
  /// their text as the server reads them; else text format). A conflicting
  /// row, a value its column refuses, or a row whose width differs from the
  /// first's, fails the whole call (StoreError).
  virtual void bulk_insert(const std::string& table, const std::string& columns, const std::vector<Row>& rows) {
    if (rows.empty()) return;
    std::string placeholders;
    for (std::size_t i = 0; i < rows.front().size(); ++i) placeholders += i ? ", ?" : "?";
    execute_many("INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ")", rows);
  }
  /// bulk_insert() into a bulk insert that may stay open for the next
  /// bulk_append to the same table and columns, so the server inserts these
  /// rows while the caller makes the next ones. PostgreSQL, inside a
  /// transaction: one COPY FROM STDIN, its data sent as each 64 KiB is made
  /// and at the end of each call, ended before any other statement on the
  /// connection (a query, another table's rows, the commit), where its error
  /// is thrown as StoreError (the transaction must then be rolled back); a
  /// rollback abandons it, as does an exception while rows are appended.
  /// Elsewhere (SQLite, or outside a transaction) the same as bulk_insert().
  virtual void bulk_append(const std::string& table, const std::string& columns, const std::vector<Row>& rows) {
    bulk_insert(table, columns, rows);
  }
  /// The bytes in `column` (TEXT, BLOB or BYTEA) of the row of `table` whose
  /// unique integer `key_column` is `key`, whole and as stored; nullopt
  /// when no row has that key or the value is NULL. For values of megabytes
  /// (a snapshot's payload): SQLite reads the value with incremental blob I/O
  /// (sqlite3_blob_read) straight into the string, where query() has SQLite
  /// copy it into memory of its own first and then copies it again (the row
  /// found by `key_column` first; the table must have a rowid, as every
  /// Marquee table has); PostgreSQL asks for the value in binary format (a
  /// BYTEA's raw bytes, not its hex text). The string is in huge pages where
  /// it is large (core/huge_pages.hpp). The names are the caller's, never
  /// user input. Throws StoreError.
  virtual std::optional<std::string> read_bytes(const std::string& table, const std::string& column,
                                                const std::string& key_column, std::int64_t key) = 0;
  /// read_bytes() without a copy for a value used once (an LZ4 frame
  /// decompressed): calls `use` with the value's bytes, a view valid only
  /// during the call, and returns true; returns false, without calling it,
  /// when no row has that key or the value is NULL. PostgreSQL's view is of
  /// libpq's own result (at 100,000 events the 3.8 MB payload frame was
  /// copied into new memory first); here, read_bytes() first. Throws
  /// StoreError, and what `use` throws.
  virtual bool with_bytes(const std::string& table, const std::string& column, const std::string& key_column,
                          std::int64_t key, const std::function<void(std::string_view)>& use) {
    const auto bytes = read_bytes(table, column, key_column, key);
    if (!bytes) return false;
    use(*bytes);
    return true;
  }
  /// Sets `column` (BLOB or BYTEA) of the row of `table` whose key
  /// `key_column` is `key` to `bytes`, bound as binary (SQLite
  /// sqlite3_bind_blob, PostgreSQL a binary parameter). Throws StoreError,
  /// also when no row has that key.
  virtual void write_bytes(const std::string& table, const std::string& column, const std::string& key_column,
                           std::int64_t key, std::string_view bytes) = 0;
  /// Inserts a row into `table` for each of `values`, in order: `key_column`
  /// `key`, `seq_column` 0, 1, 2, …, and `bytes_column` (BLOB or BYTEA) the
  /// value, bound as binary (SQLite sqlite3_bind_blob, PostgreSQL a binary
  /// parameter). A snapshot payload is about 40 rows of 100 KB at 100,000
  /// events (migration 0027). The names are the caller's, never user input.
  /// Throws StoreError, also when a row with that key and seq is there.
  virtual void insert_byte_rows(const std::string& table, const std::string& key_column, std::int64_t key,
                                const std::string& seq_column, const std::string& bytes_column,
                                const std::vector<std::string_view>& values) = 0;
  /// Calls `each` with `bytes_column` of each row of `table` whose
  /// `key_column` is `key`, in `seq_column` order, as insert_byte_rows()
  /// wrote them: a view valid during its call only, the value read in binary
  /// (PostgreSQL a row at a time, libpq's single-row mode, so that neither
  /// the backend nor libpq holds more than a row). Returns the number of
  /// rows (0: none has that key). Throws StoreError (also for a NULL value),
  /// and what `each` throws (on PostgreSQL after the rows left are read and
  /// dropped).
  virtual std::size_t each_byte_row(const std::string& table, const std::string& key_column, std::int64_t key,
                                    const std::string& seq_column, const std::string& bytes_column,
                                    const std::function<void(std::string_view)>& each) = 0;
  /// Starts a write transaction that holds the database's write lock for its
  /// whole duration (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN plus a
  /// transaction-level advisory lock), so read-compare-write is safe.
  virtual void begin_write() = 0;
  /// Starts a transaction whose writes lock only the rows they touch
  /// (PostgreSQL BEGIN; SQLite BEGIN IMMEDIATE, which locks the database).
  virtual void begin() = 0;
  /// Starts a read-only transaction that sees one consistent state
  /// (PostgreSQL REPEATABLE READ; SQLite a deferred transaction in WAL mode).
  virtual void begin_read_snapshot() = 0;
  /// For the rest of the open transaction, statements are planned once for
  /// any values (a prepared statement's generic plan) instead of for each
  /// call's values: PostgreSQL `SET LOCAL plan_cache_mode =
  /// force_generic_plan`, the connection's `force_custom_plan` coming back
  /// at commit or rollback. For frequent statements that find their rows by
  /// key whatever the values: the deliveries an outbox claim reads, whose
  /// planning took longer than running them (eight tables joined, three
  /// keys: 2.9–3.7 ms a call planned for its values, 0.6–0.7 ms on its
  /// generic plan; docs/performance.md, "Prepared statements"), and a
  /// registration batch's multi-row inserts, whose foreign-key checks
  /// PostgreSQL runs as queries of their own under the same setting (a
  /// batch's 32 moves on custom plans: 0.26 ms to plan, 1.1 ms to run with
  /// their checks; on a generic plan 0.02 and 0.3 ms). SQLite plans a
  /// prepared statement once anyway: nothing.
  /// Call inside a transaction. Throws StoreError.
  virtual void plan_generically() {}
  /// " FOR UPDATE" where the backend has row locks, "" otherwise (SQLite's
  /// write transaction already excludes other writers).
  virtual const char* row_lock() const = 0;
  /// " FOR UPDATE SKIP LOCKED" where the backend has row locks (rows another
  /// transaction holds are passed over), "" otherwise.
  virtual const char* skip_locked() const = 0;
  virtual void commit() = 0;
  /// Rolls back the open transaction, if any; never throws.
  virtual void rollback() noexcept = 0;
};

/// Runs `fn` in the transaction just begun on `c` and commits it; rolls back
/// and rethrows on any exception. Returns what `fn` returns.
template <typename Fn>
auto commit_after(SqlConnection& c, Fn&& fn) {
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

/// Runs `fn` inside begin_write() (or begin() when `serialize_writers` is
/// false) and commit(); rolls back and rethrows on any exception.
template <typename Fn>
auto in_write_transaction(SqlConnection& c, Fn&& fn, bool serialize_writers = true) {
  if (serialize_writers) c.begin_write();
  else c.begin();
  return commit_after(c, std::forward<Fn>(fn));
}

/// Runs `fn` inside begin_read_snapshot() and commit(): its reads see one
/// state of the database (a restore or publish committing meanwhile is seen
/// wholly or not at all). Rolls back and rethrows on any exception.
template <typename Fn>
auto in_read_snapshot(SqlConnection& c, Fn&& fn) {
  c.begin_read_snapshot();
  return commit_after(c, std::forward<Fn>(fn));
}

}  // namespace marquee
