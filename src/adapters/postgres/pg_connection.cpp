#include "adapters/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <atomic>
#include <memory>
#include <unordered_map>
#include <utility>

#include "adapters/postgres/copy_binary.hpp"
#include "adapters/postgres/copy_text.hpp"
#include "core/huge_pages.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

std::atomic<std::uint64_t> reconnects{0};

// Any constant shared by all Marquee processes: serialises writers and migrations.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7365843920117)";

// Whether `sql` begins with one of `words` (upper case, as Marquee writes its SQL).
bool begins_with_any(const std::string& sql, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return std::string_view(sql).starts_with(w); });
}

std::string to_dollar_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?') out += "$" + std::to_string(++n);
    else out.push_back(c);
  }
  return out;
}

/// Each row of `res` as a Row (NULL as nullopt), handed to `each` in order.
template <typename Each>
void each_row(PGresult* res, const Each& each) {
  const int n = PQntuples(res), cols = PQnfields(res);
  for (int r = 0; r < n; ++r) {
    Row row(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c)
      if (!PQgetisnull(res, r, c))
        row[static_cast<std::size_t>(c)].emplace(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c)));
    each(std::move(row));
  }
}

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to PostgreSQL: " + msg, StoreError::Cause::unreachable);
    }
    set_session();
  }
  ~PgConnection() override { PQfinish(conn_); }

  std::string backend() const override { return "postgres"; }
  std::string true_text() const override { return "t"; }

  void exec(const std::string& sql) override {
    copy_forms_.clear();  // DDL goes through here: column types read before it may be stale
    query(sql, {});
  }

  // Data statements are prepared once per connection (parsed and planned
  // once, like the SQLite statement cache) under a name "marquee_N"; at most
  // kMaxPrepared, then the rest run unprepared. Transaction control, DDL and
  // anything else run unprepared. Returns nullptr when `sql` is not to be
  // prepared (not a data statement, or the cache is full); throws StoreError
  // when preparing fails.
  static constexpr std::size_t kMaxPrepared = 512;
  const std::string* prepared_name(const std::string& sql, int n_params) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return &it->second;
    const bool data = begins_with_any(sql, {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"});
    if (!data || PQtransactionStatus(conn_) == PQTRANS_INERROR) return nullptr;
    if (prepared_.size() >= kMaxPrepared) {
      // Full (statements whose text grows with a batch's size add up): start again.
      PGresult* dealloc = PQexec(conn_, "DEALLOCATE ALL");
      const bool ok = PQresultStatus(dealloc) == PGRES_COMMAND_OK;
      PQclear(dealloc);
      if (!ok) return nullptr;
      prepared_.clear();
    }
    std::string name = "marquee_" + std::to_string(++prepared_count_);
    PGresult* res = PQprepare(conn_, name.c_str(), to_dollar_placeholders(sql).c_str(), n_params, nullptr);
    std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
      throw StoreError(std::string("PostgreSQL: ") + PQresultErrorMessage(res), cause_now());
    return &prepared_.emplace(sql, std::move(name)).first->second;
  }

  // The session settings every connection runs with (again after a reset).
  void set_session() {
    exec("SET client_min_messages = warning");
    // Whatever PGCLIENTENCODING or the URL ask: every text Marquee reads and
    // writes is UTF-8, and copy_out_each() decodes COPY's escapes byte by byte
    // (in SJIS, BIG5, GBK, GB18030 or UHC a backslash byte may be part of a character).
    exec("SET client_encoding = 'UTF8'");
    // Prepared statements (prepared_name) are still planned for each call's
    // values: a generic plan for "event_key = $1" cannot know that one hot
    // event holds most registrations, and picked the wrong index under load.
    exec("SET plan_cache_mode = force_custom_plan");
  }

  // A new server session on the same parameters, with the session settings and
  // no prepared statements (a new session has none). Throws StoreError when
  // the server cannot be reached or the settings cannot be applied.
  void reset_session() {
    prepared_.clear();
    copy_target_.clear();  // a new session has no COPY open
    copy_buf_.clear();
    copy_forms_.clear();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw StoreError(std::string("PostgreSQL: ") + PQerrorMessage(conn_), StoreError::Cause::unreachable);
    reconnects.fetch_add(1, std::memory_order_relaxed);
    set_session();
  }

  // reset_session() on an error path that reports its own error.
  void reset_session_quietly() noexcept {
    try {
      reset_session();
    } catch (...) {
    }
  }

  // Every call that sends a statement starts here: an open COPY
  // (bulk_append) is ended first, and a lost session is opened again.
  void ensure_connected() {
    if (!copy_target_.empty()) end_copy();
    if (PQstatus(conn_) != CONNECTION_OK) reset_session();
  }

  // COPY data goes out in messages of this size: the server parses and
  // inserts one while the next is made (a whole batch of 1.4 MB sent at
  // once left it idle until then).
  static constexpr std::size_t kCopyMessageBytes = 64 * 1024;

  // The buffer in messages of at most 1 GiB (PQputCopyData takes an int, and
  // sends nothing for a length that is not positive; the server joins the
  // messages of a COPY into one stream).
  void send_copy_data() {
    constexpr std::size_t kMaxMessage = std::size_t{1} << 30;
    for (std::size_t sent = 0; copy_sent_ && sent < copy_buf_.size();) {
      const std::size_t n = std::min(copy_buf_.size() - sent, kMaxMessage);
      copy_sent_ = PQputCopyData(conn_, copy_buf_.data() + sent, static_cast<int>(n)) == 1;
      sent += n;
    }
    copy_buf_.clear();
  }

  // Ends the open COPY and reads its result; throws StoreError when it
  // failed (a conflicting row, a value the column refuses, the connection).
  void end_copy() {
    if (copy_target_.empty()) return;
    if (!copy_types_.empty()) append_copy_binary_trailer(copy_buf_);
    send_copy_data();
    const std::string target = std::exchange(copy_target_, std::string());
    bool ok = copy_sent_;
    if (PQputCopyEnd(conn_, ok ? nullptr : "marquee: sending the rows failed") != 1) ok = false;
    std::string error = ok ? "" : std::string("PostgreSQL: ") + PQerrorMessage(conn_);
    StoreError::Cause cause = StoreError::Cause::failed;
    while (PGresult* res = PQgetResult(conn_)) {
      const auto status = PQresultStatus(res);
      if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {  // the COPY could not be ended: a new session
        PQclear(res);
        reset_session_quietly();
        if (error.empty()) error = "PostgreSQL: the COPY could not be ended; the connection was reset";
        cause = StoreError::Cause::unreachable;
        break;
      }
      if (status != PGRES_COMMAND_OK && error.empty()) {
        const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (state && std::string_view(state) == "53100") cause = StoreError::Cause::disk_full;
        error = std::string("PostgreSQL: ") + PQresultErrorMessage(res);
      }
      PQclear(res);
    }
    if (PQstatus(conn_) != CONNECTION_OK) cause = StoreError::Cause::unreachable;
    if (!error.empty()) throw StoreError(error + " (COPY into " + target.substr(0, target.find(' ')) + ")", cause);
  }

  // Abandons an open COPY (its rows are not inserted; the transaction is
  // then aborted), for rollback().
  void abandon_copy() noexcept {
    if (copy_target_.empty()) return;
    copy_target_.clear();
    copy_buf_.clear();
    if (PQputCopyEnd(conn_, "marquee: rolled back") == 1)
      while (PGresult* res = PQgetResult(conn_)) {
        const auto status = PQresultStatus(res);
        PQclear(res);
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
          reset_session_quietly();
          break;
        }
      }
  }

  std::vector<Row> query(const std::string& sql, const Row& params) override {
    const auto result = run(sql, params);
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(PQntuples(result.get())));
    each_row(result.get(), [&rows](Row&& row) { rows.push_back(std::move(row)); });
    return rows;
  }

  // With parameters, libpq's single-row mode (without, copy_out_each()):
  // each row is handed on as it arrives, while the server still sends the
  // rest (the whole result first had been 55 MB held by libpq at 100,000
  // events, and 0.25 s in which no row could be used). When
  // `each` throws, the rest of the result is read and dropped, so the
  // connection is ready for the next statement, and the exception goes on.
  // A server error after some rows throws StoreError once the result ends.
  void query_each(const std::string& sql, const Row& params, const std::function<void(Row&&)>& each) override {
    if (params.empty() && begins_with_any(sql, {"SELECT", "WITH", "VALUES"})) return copy_out_each(sql, each);
    ensure_connected();
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    const int n = static_cast<int>(values.size());
    const std::string* name = prepared_name(sql, n);
    const int sent = name ? PQsendQueryPrepared(conn_, name->c_str(), n, values.data(), nullptr, nullptr, 0)
                          : PQsendQueryParams(conn_, to_dollar_placeholders(sql).c_str(), n, nullptr, values.data(),
                                              nullptr, nullptr, 0);
    if (sent != 1)
      throw send_error();
    PQsetSingleRowMode(conn_);  // refused only when not right after the send: the whole result then comes at once
    std::exception_ptr stopped;
    std::optional<StoreError> failed;
    while (PGresult* res = PQgetResult(conn_)) {
      Result guard(res, &PQclear);
      const auto status = PQresultStatus(res);
      if (status == PGRES_COPY_OUT || status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
        reset_session_quietly();  // a COPY would hand back a result on every call: never ending
        throw StoreError("PostgreSQL: query_each cannot run a COPY", StoreError::Cause::failed);
      }
      if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
        if (stopped || failed) continue;
        try {
          each_row(res, each);
        } catch (...) {
          stopped = std::current_exception();
        }
      } else if (status != PGRES_COMMAND_OK && !failed) {
        failed.emplace(error_of(res, name ? &sql : nullptr));
      }
    }
    if (stopped) std::rethrow_exception(stopped);
    if (failed) throw *failed;
  }

  // query_each() of a query without parameters: `COPY (sql) TO STDOUT`,
  // each row one CopyData message in the text format, decoded by
  // decode_copy_text_row() into the values the query's own result gives. In
  // single-row mode libpq made a result per row and copied the columns'
  // descriptions into each (at 100,000 events about a quarter of the reading
  // thread). When `each` throws, the rows after are read and dropped.
  void copy_out_each(const std::string& sql, const std::function<void(Row&&)>& each) {
    ensure_connected();
    // On lines of their own (a comment ending `sql` stays a comment); sent by the
    // extended protocol, which takes one statement only.
    const std::string copy = "COPY (\n" + sql + "\n) TO STDOUT";
    if (PQsendQueryParams(conn_, copy.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      throw send_error();
    std::exception_ptr stopped;
    std::optional<StoreError> failed;
    Row row;
    while (PGresult* res = PQgetResult(conn_)) {
      Result guard(res, &PQclear);
      const auto status = PQresultStatus(res);
      if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
        reset_session_quietly();  // not what was sent: the session cannot be trusted
        throw StoreError("PostgreSQL: query_each was answered by a COPY FROM", StoreError::Cause::failed);
      }
      if (status == PGRES_COPY_OUT) {
        const bool no_columns = PQnfields(res) == 0;  // each row an empty line, as query() gives Row{}
        char* data = nullptr;
        int length = 0;
        while ((length = PQgetCopyData(conn_, &data, 0)) > 0) {
          std::unique_ptr<char, decltype(&PQfreemem)> held(data, &PQfreemem);
          if (stopped) continue;
          try {
            if (no_columns) row.clear();
            else decode_copy_text_row(std::string_view(data, static_cast<std::size_t>(length)), row);
            each(std::move(row));
          } catch (...) {
            stopped = std::current_exception();
          }
        }
        if (length == -2) {  // the connection failed: the COPY cannot be ended on it
          if (!failed) failed.emplace(std::string("PostgreSQL: ") + PQerrorMessage(conn_), StoreError::Cause::unreachable);
          reset_session_quietly();
          break;
        }
        // -1: the rows ended; the next result says how the COPY ended.
      } else if (status != PGRES_COMMAND_OK && !failed) {
        failed.emplace(error_of(res, nullptr));
      }
    }
    if (stopped) std::rethrow_exception(stopped);
    if (failed) throw *failed;
  }

  // The value comes in binary format (a BYTEA's bytes, not twice as many hex
  // digits) and is copied once, from libpq's result into a string in huge
  // pages (core/huge_pages.hpp).
  std::optional<std::string> read_bytes(const std::string& table, const std::string& column, const std::string& key_column,
                                        std::int64_t key) override {
    std::optional<std::string> out;
    with_bytes(table, column, key_column, key, [&](std::string_view bytes) {
      out = huge_page_string(bytes.size());
      if (!bytes.empty()) std::memcpy(out->data(), bytes.data(), bytes.size());
    });
    return out;
  }

  // The view is of libpq's result, freed after `use` returns.
  bool with_bytes(const std::string& table, const std::string& column, const std::string& key_column, std::int64_t key,
                  const std::function<void(std::string_view)>& use) override {
    const auto result = run("SELECT " + column + " FROM " + table + " WHERE " + key_column + " = CAST(? AS BIGINT)",
                            Row{std::to_string(key)}, {}, 1);
    if (PQntuples(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) return false;
    use(std::string_view(PQgetvalue(result.get(), 0, 0), static_cast<std::size_t>(PQgetlength(result.get(), 0, 0))));
    return true;
  }

  // The bytes are sent as they are (binary), not copied first. Inside a
  // transaction the statement is planned generically: this session's custom
  // plans (force_custom_plan, above) make the value a constant of the plan,
  // copied twice more into the backend's new memory (`perf` of a 4 MB payload
  // frame's write: copyObjectImpl and expression_tree_mutator). The setting is
  // local to the transaction and the one before is put back after the
  // statement; an error aborts the transaction, which takes it back too.
  // Outside a transaction (each statement its own) the value is planned as
  // any other.
  void write_bytes(const std::string& table, const std::string& column, const std::string& key_column, std::int64_t key,
                   std::string_view bytes) override {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw StoreError("PostgreSQL: " + table + "." + column + " of " + std::to_string(bytes.size()) +
                           " bytes is over libpq's 2 GiB for a value",
                       StoreError::Cause::failed);
    ensure_connected();
    std::optional<std::string> plan_mode;  // the setting to put back
    if (PQtransactionStatus(conn_) == PQTRANS_INTRANS) {
      const auto was = run("SELECT current_setting('plan_cache_mode'), set_config('plan_cache_mode', 'force_generic_plan', true)", {});
      plan_mode = std::string(PQgetvalue(was.get(), 0, 0));
    }
    const std::string key_text = std::to_string(key);
    const auto result = run_values("UPDATE " + table + " SET " + column + " = ? WHERE " + key_column + " = CAST(? AS BIGINT)",
                                   {bytes.empty() ? "" : bytes.data(), key_text.c_str()},  // a null pointer is SQL NULL
                                   {static_cast<int>(bytes.size()), 0}, {1, 0});
    if (plan_mode) run("SELECT set_config('plan_cache_mode', ?, true)", Row{*plan_mode});
    if (std::string_view(PQcmdTuples(result.get())) != "1")
      throw StoreError("PostgreSQL: no " + table + " row has " + key_column + " " + std::to_string(key));
  }

  // One statement a row, each value a binary parameter (about 100 KB each for a payload's
  // frames). A row's value planned as a constant is copied, but at this size into memory the
  // backend reuses from row to row (the 3.9 MB of one value had been new memory each time).
  void insert_byte_rows(const std::string& table, const std::string& key_column, std::int64_t key,
                        const std::string& seq_column, const std::string& bytes_column,
                        const std::vector<std::string_view>& values) override {
    const std::string sql = "INSERT INTO " + table + " (" + key_column + ", " + seq_column + ", " + bytes_column +
                            ") VALUES (CAST(? AS BIGINT), CAST(? AS INTEGER), ?)";
    const std::string key_text = std::to_string(key);
    for (std::size_t seq = 0; seq < values.size(); ++seq) {
      const std::string_view bytes = values[seq];
      if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw StoreError("PostgreSQL: " + table + "." + bytes_column + " of " + std::to_string(bytes.size()) +
                             " bytes is over libpq's 2 GiB for a value",
                         StoreError::Cause::failed);
      const std::string seq_text = std::to_string(seq);
      run_values(sql, {key_text.c_str(), seq_text.c_str(), bytes.empty() ? "" : bytes.data()},  // a null pointer is SQL NULL
                 {0, 0, static_cast<int>(bytes.size())}, {0, 0, 1});
    }
  }

  // libpq's single-row mode with the result in binary format: each row's value is handed on as
  // it arrives, a row's result freed before the next is read.
  std::size_t each_byte_row(const std::string& table, const std::string& key_column, std::int64_t key,
                            const std::string& seq_column, const std::string& bytes_column,
                            const std::function<void(std::string_view)>& each) override {
    ensure_connected();
    const std::string sql = "SELECT " + bytes_column + " FROM " + table + " WHERE " + key_column +
                            " = CAST($1 AS BIGINT) ORDER BY " + seq_column;
    const std::string key_text = std::to_string(key);
    const char* values[] = {key_text.c_str()};
    if (PQsendQueryParams(conn_, sql.c_str(), 1, nullptr, values, nullptr, nullptr, 1) != 1) throw send_error();
    PQsetSingleRowMode(conn_);  // refused only when not right after the send: the whole result then comes at once
    std::exception_ptr stopped;
    std::optional<StoreError> failed;
    std::size_t rows = 0;
    while (PGresult* res = PQgetResult(conn_)) {
      Result guard(res, &PQclear);
      const auto status = PQresultStatus(res);
      if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
        for (int r = 0; r < PQntuples(res); ++r) {
          if (stopped || failed) break;
          if (PQgetisnull(res, r, 0)) {
            failed.emplace("PostgreSQL: " + table + "." + bytes_column + " is NULL in a row of " + key_column + " " + key_text);
            break;
          }
          ++rows;
          try {
            each(std::string_view(PQgetvalue(res, r, 0), static_cast<std::size_t>(PQgetlength(res, r, 0))));
          } catch (...) {
            stopped = std::current_exception();
          }
        }
      } else if (status != PGRES_COMMAND_OK && !failed) {
        failed.emplace(error_of(res, nullptr));
      }
    }
    if (stopped) std::rethrow_exception(stopped);
    if (failed) throw *failed;
    return rows;
  }

  // libpq's pipeline mode: the statements go out in chunks, each ended by a
  // sync, and the results are read after each chunk, so a chunk costs one
  // round trip instead of one per row. The first error is thrown after the
  // pipeline is drained and left (the open transaction is then aborted).
  void execute_many(const std::string& sql, const std::vector<Row>& params) override {
    if (params.empty()) return;
    ensure_connected();
    const std::string text = to_dollar_placeholders(sql);
    if (PQenterPipelineMode(conn_) != 1)
      throw StoreError(std::string("PostgreSQL: cannot enter pipeline mode: ") + PQerrorMessage(conn_),
                       StoreError::Cause::failed);
    std::string first_error;
    StoreError::Cause cause = StoreError::Cause::failed;
    const auto fail = [&](std::string message, StoreError::Cause c) {
      if (!first_error.empty()) return;
      first_error = std::move(message);
      cause = c;
    };
    // Parsed and planned once, as the unnamed prepared statement, then bound per row.
    const int n_params = static_cast<int>(params.front().size());
    bool broken = PQsendPrepare(conn_, "", text.c_str(), n_params, nullptr) != 1;
    constexpr std::size_t kChunk = 1000;
    std::vector<const char*> values;
    for (std::size_t begin = 0; begin < params.size() && first_error.empty() && !broken; begin += kChunk) {
      const std::size_t end = std::min(params.size(), begin + kChunk);
      for (std::size_t i = begin; i < end; ++i) {
        if (static_cast<int>(params[i].size()) != n_params) {
          fail("PostgreSQL: execute_many: row " + std::to_string(i) + " has " + std::to_string(params[i].size()) +
                   " values, the statement " + std::to_string(n_params),
               StoreError::Cause::failed);
          break;
        }
        values.clear();
        for (const auto& p : params[i]) values.push_back(p ? p->c_str() : nullptr);
        if (PQsendQueryPrepared(conn_, "", n_params, values.data(), nullptr, nullptr, 0) != 1) {
          broken = true;
          break;
        }
      }
      // Whatever was sent is synced and its results read, up to the sync.
      if (broken || PQpipelineSync(conn_) != 1) {
        broken = true;
        break;
      }
      for (;;) {
        PGresult* res = PQgetResult(conn_);
        if (!res) {  // the end of one statement's results (or of a broken connection)
          if (PQstatus(conn_) == CONNECTION_OK) continue;
          broken = true;
          break;
        }
        std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
        const auto status = PQresultStatus(res);
        if (status == PGRES_PIPELINE_SYNC) break;
        if (status == PGRES_FATAL_ERROR) {
          const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
          fail(std::string("PostgreSQL: ") + PQresultErrorMessage(res),
               state && std::string_view(state) == "53100" ? StoreError::Cause::disk_full : StoreError::Cause::failed);
        }
      }
    }
    if (broken) fail(std::string("PostgreSQL: ") + PQerrorMessage(conn_), StoreError::Cause::unreachable);
    if (PQexitPipelineMode(conn_) != 1) {
      // Results still queued (a send failed midway): this session cannot be trusted; start a new one.
      // The open transaction is gone with it, as the caller's rollback expects.
      reset_session_quietly();
      fail("PostgreSQL: the pipeline could not be ended; the connection was reset", StoreError::Cause::unreachable);
    }
    if (!first_error.empty()) throw StoreError(first_error, cause);
  }

  // COPY … FROM STDIN: in the binary format when every column's type has a
  // binary form here (copy_form: bigint, integer, smallint, boolean, text,
  // varchar; the server then parses no text: docs/performance.md, "COPY in
  // the binary format"), else in the text format:
  // tab-separated, \N for NULL, and backslash, tab, newline and carriage
  // return escaped (PostgreSQL manual, COPY, "Text Format" and "Binary Format").
  void bulk_insert(const std::string& table, const std::string& columns, const std::vector<Row>& rows) override {
    if (rows.empty()) return;
    bulk_append(table, columns, rows);
    end_copy();  // when bulk_append kept it open
  }

  // The COPY stays open (copy_target_) inside a transaction only; every
  // other call ends it first (ensure_connected), and rollback() abandons it.
  void bulk_append(const std::string& table, const std::string& columns, const std::vector<Row>& rows) override {
    if (rows.empty()) return;
    const std::string target = table + " (" + columns + ")";
    if (copy_target_ != target) {
      ensure_connected();  // ends another table's COPY, throwing its error
      const bool in_transaction = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
      std::vector<CopyBinaryType> types = copy_form(table, columns, in_transaction);
      const std::string sql = "COPY " + target + (types.empty() ? " FROM STDIN" : " FROM STDIN (FORMAT binary)");
      PGresult* start = PQexec(conn_, sql.c_str());
      const auto start_status = PQresultStatus(start);
      std::string start_error = start_status == PGRES_COPY_IN ? "" : std::string("PostgreSQL: ") + PQresultErrorMessage(start);
      PQclear(start);
      if (!start_error.empty()) throw StoreError(start_error, cause_now());
      copy_target_ = target;
      copy_kept_ = in_transaction;
      copy_sent_ = true;
      copy_types_ = std::move(types);
      if (!copy_types_.empty()) append_copy_binary_header(copy_buf_);
    }
    try {
      append_copy_rows(rows);
    } catch (...) {  // a partial row must never be sent as a whole one
      abandon_copy();
      throw;
    }
    if (!copy_kept_) end_copy();
  }

  void begin_write() override {
    copy_forms_.clear();
    exec("BEGIN");
    exec(kWriteLock);
  }
  void begin() override {
    copy_forms_.clear();
    exec("BEGIN");
  }
  void plan_generically() override { exec("SET LOCAL plan_cache_mode = force_generic_plan"); }
  void begin_read_snapshot() override { exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  const char* row_lock() const override { return " FOR UPDATE"; }
  const char* skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }
  // COMMIT of a transaction that a failed statement aborted answers
  // "ROLLBACK" without an error: refused here, so that a failure a caller
  // did not see (an open COPY's rows fail at the next statement) can never
  // pass as a commit.
  void commit() override {
    copy_forms_.clear();
    const auto result = run("COMMIT", {});
    if (std::string_view(PQcmdStatus(result.get())) != "COMMIT")
      throw StoreError("PostgreSQL: the transaction was rolled back, not committed: a statement in it had failed");
  }
  void rollback() noexcept override {
    copy_forms_.clear();
    abandon_copy();
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

  // The rows in the open COPY's format (copy_types_: binary, or text when
  // empty), sent whenever kCopyMessageBytes are made and at the end.
  void append_copy_rows(const std::vector<Row>& rows) {
    for (const auto& row : rows) {
      if (copy_types_.empty()) {
        append_copy_text_row(row, copy_buf_);
      } else {
        try {
          append_copy_binary_row(row, copy_types_, copy_buf_);
        } catch (const CopyValueError& e) {
          throw StoreError("PostgreSQL: COPY into " + copy_target_.substr(0, copy_target_.find(' ')) + ", column " +
                           column_name(copy_target_, e.column) + ": " + e.what());
        } catch (const std::invalid_argument& e) {  // a row of another width
          throw StoreError("PostgreSQL: COPY into " + copy_target_.substr(0, copy_target_.find(' ')) + ": " + e.what());
        }
      }
      if (copy_buf_.size() >= kCopyMessageBytes) send_copy_data();
    }
    send_copy_data();
  }

  // The columns of "table (a, b, c)", in order, their spaces trimmed.
  static std::vector<std::string> column_list(std::string_view columns) {
    std::vector<std::string> out;
    while (true) {
      const std::size_t comma = columns.find(',');
      std::string_view name = columns.substr(0, comma);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      out.emplace_back(name);
      if (comma == std::string_view::npos) return out;
      columns.remove_prefix(comma + 1);
    }
  }
  static std::string column_name(const std::string& target, std::size_t i) {
    const std::size_t open = target.find('(');
    const auto names = column_list(std::string_view(target).substr(open + 1, target.size() - open - 2));
    return i < names.size() ? names[i] : "#" + std::to_string(i + 1);
  }

  // How a COPY into `table (columns)` is sent: each column's binary form
  // (copy_binary_type) when every column has one, else empty for the text
  // format. The column types are read from pg_attribute and kept until the
  // transaction ends (a migration between two transactions may change them).
  std::vector<CopyBinaryType> copy_form(const std::string& table, const std::string& columns, bool in_transaction) {
    const std::string target = table + " (" + columns + ")";
    if (auto kept = copy_forms_.find(target); kept != copy_forms_.end()) return kept->second;
    std::unordered_map<std::string, unsigned> type_of;
    const auto result = run(
        "SELECT a.attname, a.atttypid FROM pg_catalog.pg_attribute a "
        "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        Row{table});
    each_row(result.get(), [&](Row&& r) {
      if (r.size() == 2 && r[0] && r[1]) type_of[*r[0]] = static_cast<unsigned>(std::stoul(*r[1]));
    });
    std::vector<CopyBinaryType> types;
    for (const auto& name : column_list(columns)) {
      const auto t = type_of.find(name);
      const auto form = t == type_of.end() ? std::nullopt : copy_binary_type(t->second);
      if (!form) {  // a quoted name, or a type without a binary form here
        types.clear();
        break;
      }
      types.push_back(*form);
    }
    if (in_transaction) copy_forms_.emplace(target, types);
    return types;
  }

  // Runs one statement (prepared once per connection where it can be) and
  // gives back its result; throws StoreError with the server's message.
  // `param_formats`: 1 for a parameter sent as binary (its bytes as they
  // are), 0 or absent for text; `result_format`: 1 for binary results.
  Result run(const std::string& sql, const Row& params, const std::vector<int>& param_formats = {}, int result_format = 0) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    values.reserve(params.size());
    lengths.reserve(params.size());
    for (const auto& p : params) {
      values.push_back(p ? p->c_str() : nullptr);
      lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    }
    std::vector<int> formats(param_formats);
    formats.resize(params.size(), 0);
    return run_values(sql, values, lengths, formats, result_format);
  }

  // run() on parameters given as pointers, lengths and formats (one each).
  Result run_values(const std::string& sql, const std::vector<const char*>& values, const std::vector<int>& lengths,
                    const std::vector<int>& formats, int result_format = 0) {
    ensure_connected();
    const int n = static_cast<int>(values.size());
    const std::string* name = prepared_name(sql, n);
    PGresult* res = name ? PQexecPrepared(conn_, name->c_str(), n, values.data(), lengths.data(), formats.data(), result_format)
                         : PQexecParams(conn_, to_dollar_placeholders(sql).c_str(), n, nullptr, values.data(),
                                        lengths.data(), formats.data(), result_format);
    Result guard(res, &PQclear);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw error_of(res, name ? &sql : nullptr);
    return guard;
  }

  // A failure with the connection lost is the server unreachable; else the statement failed.
  StoreError::Cause cause_now() const {
    return PQstatus(conn_) != CONNECTION_OK ? StoreError::Cause::unreachable : StoreError::Cause::failed;
  }

  // The StoreError for a statement libpq could not send.
  StoreError send_error() const { return StoreError(std::string("PostgreSQL: ") + PQerrorMessage(conn_), cause_now()); }

  // The StoreError for a failed result, with the server's message. `prepared_sql`: the statement's
  // text when it ran prepared; a prepared statement gone (26000) or whose result changed with the
  // schema (0A000, "cached plan must not change result type") is prepared again on the next call.
  StoreError error_of(const PGresult* res, const std::string* prepared_sql) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (prepared_sql && state && (std::string_view(state) == "26000" || std::string_view(state) == "0A000"))
      prepared_.erase(*prepared_sql);
    const auto cause = state && std::string_view(state) == "53100" ? StoreError::Cause::disk_full : cause_now();
    return StoreError(std::string("PostgreSQL: ") + PQresultErrorMessage(res), cause);
  }
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text → prepared statement name
  std::uint64_t prepared_count_ = 0;                        // names are never reused on one session
  std::string copy_target_;  // "table (columns)" of the open COPY (bulk_append); "" when none
  bool copy_kept_ = false;   // the open COPY stays open after its bulk_append (inside a transaction)
  bool copy_sent_ = true;    // every message of the open COPY was sent
  std::string copy_buf_;     // COPY data not yet sent
  std::vector<CopyBinaryType> copy_types_;  // the open COPY's columns in the binary format; empty: text
  std::unordered_map<std::string, std::vector<CopyBinaryType>> copy_forms_;  // copy_form()'s, this transaction
};

}  // namespace

std::uint64_t postgres_reconnects() { return reconnects.load(std::memory_order_relaxed); }

std::unique_ptr<SqlConnection> open_postgres(const std::string& uri) { return std::make_unique<PgConnection>(uri); }

}  // namespace marquee
