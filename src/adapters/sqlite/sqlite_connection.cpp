#include "adapters/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <filesystem>
#include <unordered_map>

#include "adapters/sqlite/coalescing_vfs.hpp"
#include "core/huge_pages.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    // No mutex of its own (SQLite's multi-thread mode): a connection is leased to one thread
    // at a time (ConnectionPool), and serialized mode locked it on every call, three times a
    // column read (at 100,000 events, 8.4 million locks, half the reading thread's time).
    // Through the gathering VFS (which also configures SQLite before its first use): a log's
    // frames in writes of up to 64 KiB, not two calls each.
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        coalescing_vfs()) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot open SQLite database '" + path + "': " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
    exec("PRAGMA foreign_keys = ON");
  }
  ~SqliteConnection() override {
    clear_cache();
    sqlite3_close(db_);
  }

  // SQLITE_FULL, or an I/O error whose system error is ENOSPC, is a full disk.
  StoreError::Cause cause() const {
    if ((sqlite3_errcode(db_) & 0xff) == SQLITE_FULL || sqlite3_system_errno(db_) == ENOSPC)
      return StoreError::Cause::disk_full;
    return StoreError::Cause::failed;
  }

  std::string backend() const override { return "sqlite"; }
  std::string true_text() const override { return "1"; }

  void exec(const std::string& sql) override { query(sql, {}); }

  // Statements are prepared once per connection and kept (at most
  // kMaxCachedStatements; the cache starts again when full): an import or a
  // registration batch runs the same few statements thousands of times.
  std::vector<Row> query(const std::string& sql, const Row& params) override {
    std::vector<Row> rows;
    query_each(sql, params, [&rows](Row&& row) { rows.push_back(std::move(row)); });
    return rows;
  }

  void query_each(const std::string& sql, const Row& params, const std::function<void(Row&&)>& each) override {
    Statement stmt(*this, sql);
    bind(stmt.get(), params, SQLITE_STATIC);  // `params` outlive the steps
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
      const int n = sqlite3_column_count(stmt.get());
      Row row(static_cast<std::size_t>(n));
      for (int c = 0; c < n; ++c) {
        auto& value = row[static_cast<std::size_t>(c)];
        // The column's value read through sqlite3_value_*: one checked call a column instead of
        // three (an "unprotected" value, safe here: the connection is this thread's alone).
        sqlite3_value* column = sqlite3_column_value(stmt.get(), c);
        switch (sqlite3_value_type(column)) {
          case SQLITE_NULL:
            continue;
          case SQLITE_INTEGER: {
            // The digits SQLite's own text would have, without its conversion's allocation.
            char digits[24];
            const auto end = std::to_chars(digits, digits + sizeof digits, sqlite3_value_int64(column)).ptr;
            value.emplace(digits, end);
            continue;
          }
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(column));
            // No text when not NULL: a zero-length blob, or a failed allocation.
            if (!text && sqlite3_errcode(db_) == SQLITE_NOMEM) throw StoreError("SQLite: out of memory reading a column");
            value.emplace(text ? text : "", text ? static_cast<std::size_t>(sqlite3_value_bytes(column)) : 0);
          }
        }
      }
      each(std::move(row));
    }
  }

  void execute_many(const std::string& sql, const std::vector<Row>& params) override {
    Statement stmt(*this, sql);
    const auto expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt.get()));
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Row& p = params[i];
      if (p.size() != expected)
        throw StoreError("SQLite: execute_many: row " + std::to_string(i) + " has " + std::to_string(p.size()) +
                         " values, the statement " + std::to_string(expected));
      bind(stmt.get(), p, SQLITE_STATIC);  // `p` outlives the step
      step_to_done(stmt.get());
      sqlite3_clear_bindings(stmt.get());  // a shorter row binds NULL, not the previous row's values
    }
  }

  // Rows in cached INSERT OR FAIL statements of kRowsPerInsert rows each
  // (fewer when the columns are many), the rows left over one a statement.
  // OR FAIL, not the default ABORT: inside a transaction SQLite gives a
  // statement that may abort after its first change a statement journal,
  // which copies every page the statement changes that the transaction had
  // changed before (index pages, again and again: 64-row ABORT statements
  // wrote 650 MB to a temporary file for an import of 100,000 events and
  // took 2.05–2.09 s, one row a statement 1.67–1.70 s). Under FAIL a failing
  // row stops its statement and keeps the rows before it, as one-row
  // statements did (SQLite, "The ON CONFLICT Clause"); the call throws, and
  // the caller's transaction rolls back. 64-row statements took a 100,000-event
  // import from 1.48–1.78 s to 1.21–1.63 s (four alternated runs). A table
  // with a foreign key (import_changes) gets one row a statement: a
  // multi-row statement into it may abort on the key whatever its conflict
  // clause, and SQLite gives it a statement journal after all.
  static constexpr std::size_t kRowsPerInsert = 64;

  void bulk_insert(const std::string& table, const std::string& columns, const std::vector<Row>& rows) override {
    if (rows.empty()) return;
    const std::size_t width = rows.front().size();
    if (width == 0) throw StoreError("SQLite: bulk_insert: no columns");
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].size() != width)
        throw StoreError("SQLite: bulk_insert: row " + std::to_string(i) + " has " + std::to_string(rows[i].size()) +
                         " values, the first " + std::to_string(width));
    std::string values = "(";
    for (std::size_t c = 0; c < width; ++c) values += c ? ", ?" : "?";
    values += ")";
    const std::string head = "INSERT OR FAIL INTO " + table + " (" + columns + ") VALUES ";
    const auto max_params = static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    const std::size_t per =
        has_foreign_key(table) ? 1 : std::max<std::size_t>(1, std::min(kRowsPerInsert, max_params / width));
    std::size_t done = 0;
    if (per > 1 && rows.size() >= per) {
      std::string sql = head + values;
      for (std::size_t r = 1; r < per; ++r) sql += ", " + values;
      Statement stmt(*this, sql);
      for (; done + per <= rows.size(); done += per) {
        for (std::size_t r = 0; r < per; ++r) bind(stmt.get(), rows[done + r], SQLITE_STATIC, static_cast<int>(r * width));
        step_to_done(stmt.get());
      }
    }
    if (done == rows.size()) return;
    Statement stmt(*this, head + values);
    for (; done < rows.size(); ++done) {
      bind(stmt.get(), rows[done], SQLITE_STATIC);
      step_to_done(stmt.get());
    }
  }

  std::optional<std::string> read_bytes(const std::string& table, const std::string& column, const std::string& key_column,
                                        std::int64_t key) override {
    // Incremental blob I/O addresses a row by its rowid: looked up by the key first (one index seek;
    // the table must have a rowid, not be WITHOUT ROWID).
    std::int64_t rowid = 0;
    {
      Statement find(*this, "SELECT rowid FROM " + table + " WHERE " + key_column + " = ?");
      if (sqlite3_bind_int64(find.get(), 1, key) != SQLITE_OK) throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
      const int rc = sqlite3_step(find.get());
      if (rc == SQLITE_DONE) return std::nullopt;
      if (rc != SQLITE_ROW) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
      rowid = sqlite3_column_int64(find.get(), 0);
    }
    sqlite3_blob* blob = nullptr;
    if (sqlite3_blob_open(db_, "main", table.c_str(), column.c_str(), rowid, 0, &blob) != SQLITE_OK) {
      sqlite3_blob_close(blob);  // NULL after a failed open: a no-op
      // A NULL or a number (blob I/O opens text and blobs only): the SELECT says which.
      Statement stmt(*this, "SELECT " + column + " FROM " + table + " WHERE rowid = ?");
      if (sqlite3_bind_int64(stmt.get(), 1, rowid) != SQLITE_OK) throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE || (rc == SQLITE_ROW && sqlite3_column_type(stmt.get(), 0) == SQLITE_NULL)) return std::nullopt;
      if (rc != SQLITE_ROW) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt.get(), 0));
      return std::string(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 0)));
    }
    std::string out = huge_page_string(static_cast<std::size_t>(sqlite3_blob_bytes(blob)));
    const int rc = sqlite3_blob_read(blob, out.data(), static_cast<int>(out.size()), 0);
    sqlite3_blob_close(blob);
    if (rc != SQLITE_OK) throw StoreError(std::string("SQLite: reading ") + table + "." + column + ": " + sqlite3_errstr(rc), cause());
    return out;
  }

  void write_bytes(const std::string& table, const std::string& column, const std::string& key_column, std::int64_t key,
                   std::string_view bytes) override {
    Statement stmt(*this, "UPDATE " + table + " SET " + column + " = ? WHERE " + key_column + " = ?");
    // An empty value is a zero-length blob: a null data pointer would bind NULL.
    if ((bytes.empty() ? sqlite3_bind_zeroblob(stmt.get(), 1, 0)
                       : sqlite3_bind_blob64(stmt.get(), 1, bytes.data(), bytes.size(), SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_bind_int64(stmt.get(), 2, key) != SQLITE_OK)
      throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
    if (sqlite3_changes(db_) != 1) throw StoreError("SQLite: no " + table + " row has " + key_column + " " + std::to_string(key));
  }

  void insert_byte_rows(const std::string& table, const std::string& key_column, std::int64_t key,
                        const std::string& seq_column, const std::string& bytes_column,
                        const std::vector<std::string_view>& values) override {
    Statement stmt(*this, "INSERT INTO " + table + " (" + key_column + ", " + seq_column + ", " + bytes_column +
                              ") VALUES (?, ?, ?)");
    for (std::size_t seq = 0; seq < values.size(); ++seq) {
      const std::string_view bytes = values[seq];
      // An empty value is a zero-length blob: a null data pointer would bind NULL.
      if (sqlite3_bind_int64(stmt.get(), 1, key) != SQLITE_OK ||
          sqlite3_bind_int64(stmt.get(), 2, static_cast<sqlite3_int64>(seq)) != SQLITE_OK ||
          (bytes.empty() ? sqlite3_bind_zeroblob(stmt.get(), 3, 0)
                         : sqlite3_bind_blob64(stmt.get(), 3, bytes.data(), bytes.size(), SQLITE_STATIC)) != SQLITE_OK)
        throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
      step_to_done(stmt.get());
    }
  }

  std::size_t each_byte_row(const std::string& table, const std::string& key_column, std::int64_t key,
                            const std::string& seq_column, const std::string& bytes_column,
                            const std::function<void(std::string_view)>& each) override {
    Statement stmt(*this, "SELECT " + bytes_column + " FROM " + table + " WHERE " + key_column + " = ? ORDER BY " + seq_column);
    if (sqlite3_bind_int64(stmt.get(), 1, key) != SQLITE_OK) throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
    std::size_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      if (sqlite3_column_type(stmt.get(), 0) == SQLITE_NULL)
        throw StoreError("SQLite: " + table + "." + bytes_column + " is NULL in a row of " + key_column + " " + std::to_string(key));
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt.get(), 0));  // before its size, as SQLite asks
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 0));
      ++rows;
      each(std::string_view(data ? data : "", size));
    }
    if (rc != SQLITE_DONE) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
    return rows;
  }

  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void begin() override { exec("BEGIN IMMEDIATE"); }
  void begin_read_snapshot() override { exec("BEGIN DEFERRED"); }
  const char* row_lock() const override { return ""; }
  const char* skip_locked() const override { return ""; }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  static constexpr std::size_t kMaxCachedStatements = 256;

  // A cached statement, reset and unbound when the query is done (also when it throws).
  class Statement {
   public:
    Statement(SqliteConnection& c, const std::string& sql) : stmt_(c.prepared(sql)) {}
    ~Statement() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3_stmt* stmt_;
  };

  sqlite3_stmt* prepared(const std::string& sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) clear_cache();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(stmt);
      throw StoreError(std::string("SQLite prepare: ") + sqlite3_errmsg(db_));
    }
    cache_.emplace(sql, stmt);
    return stmt;
  }

  void clear_cache() noexcept {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  // Binds `params` to the statement's parameters from `first` + 1 on.
  void bind(sqlite3_stmt* stmt, const Row& params, sqlite3_destructor_type lifetime, int first = 0) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = first + static_cast<int>(i + 1);
      const int rc = params[i] ? sqlite3_bind_text(stmt, idx, params[i]->data(), static_cast<int>(params[i]->size()),
                                                   lifetime)
                               : sqlite3_bind_null(stmt, idx);
      if (rc != SQLITE_OK) throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
    }
  }

  // Whether `table` declares a foreign key; asked once per table and
  // connection (only the speed of bulk_insert depends on it).
  bool has_foreign_key(const std::string& table) {
    if (auto it = foreign_keys_.find(table); it != foreign_keys_.end()) return it->second;
    Statement stmt(*this, "SELECT COUNT(*) FROM pragma_foreign_key_list(?)");
    if (sqlite3_bind_text(stmt.get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      throw StoreError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
    const bool has = sqlite3_column_int64(stmt.get(), 0) > 0;
    foreign_keys_.emplace(table, has);
    return has;
  }

  // Steps a statement to its end (rows it returns are dropped) and resets
  // it; its bindings stay.
  void step_to_done(sqlite3_stmt* stmt) {
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_), cause());
    sqlite3_reset(stmt);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, bool> foreign_keys_;  // table -> has a foreign key (has_foreign_key)
};

}  // namespace

std::unique_ptr<SqlConnection> open_sqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace marquee
