#include "adapters/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <atomic>

#include "ports/store.hpp"

namespace marquee {
namespace {

std::atomic<std::uint64_t> reconnects{0};

// Any constant shared by all Marquee processes: serialises writers and migrations.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7365843920117)";

std::string to_dollar_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char c : sql) {
    if (c == '?') out += "$" + std::to_string(++n);
    else out.push_back(c);
  }
  return out;
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
    exec("SET client_min_messages = warning");
  }
  ~PgConnection() override { PQfinish(conn_); }

  std::string backend() const override { return "postgres"; }
  std::string true_text() const override { return "t"; }

  void exec(const std::string& sql) override { query(sql, {}); }

  std::vector<Row> query(const std::string& sql, const Row& params) override {
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      if (PQstatus(conn_) == CONNECTION_OK) reconnects.fetch_add(1, std::memory_order_relaxed);
      if (PQstatus(conn_) != CONNECTION_OK)
        throw StoreError(std::string("PostgreSQL: ") + PQerrorMessage(conn_), StoreError::Cause::unreachable);
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    const std::string text = to_dollar_placeholders(sql);
    PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                 nullptr, nullptr, 0);
    std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      const auto cause = state && std::string_view(state) == "53100" ? StoreError::Cause::disk_full
                         : PQstatus(conn_) != CONNECTION_OK         ? StoreError::Cause::unreachable
                                                                    : StoreError::Cause::failed;
      throw StoreError(std::string("PostgreSQL: ") + PQresultErrorMessage(res), cause);
    }
    std::vector<Row> rows;
    const int n = PQntuples(res), cols = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c)
        if (!PQgetisnull(res, r, c))
          row[static_cast<std::size_t>(c)] = std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin_write() override {
    exec("BEGIN");
    exec(kWriteLock);
  }
  void begin() override { exec("BEGIN"); }
  void begin_read_snapshot() override { exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  const char* row_lock() const override { return " FOR UPDATE"; }
  const char* skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  PGconn* conn_ = nullptr;
};

}  // namespace

std::uint64_t postgres_reconnects() { return reconnects.load(std::memory_order_relaxed); }

std::unique_ptr<SqlConnection> open_postgres(const std::string& uri) { return std::make_unique<PgConnection>(uri); }

}  // namespace marquee
