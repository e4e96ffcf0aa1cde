#include "adapters/postgres/pg_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include "ports/store.hpp"

namespace marquee {
namespace {

class PgListener final : public LiveListener {
 public:
  explicit PgListener(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to PostgreSQL for LISTEN: " + msg);
    }
    PGresult* r = PQexec(conn_, (std::string("LISTEN ") + kLiveChannel).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) throw StoreError(std::string("LISTEN failed: ") + PQerrorMessage(conn_));
  }
  ~PgListener() override { PQfinish(conn_); }

  bool wait(int timeout_ms) override {
    if (drain()) return true;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (p.fd < 0) throw StoreError("LISTEN connection lost");
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0) return false;
    if (n == 0) return false;
    if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK)
      throw StoreError(std::string("LISTEN connection lost: ") + PQerrorMessage(conn_));
    return drain();
  }

 private:
  bool drain() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  }
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<LiveListener> open_pg_listener(const std::string& uri) { return std::make_unique<PgListener>(uri); }

}  // namespace marquee
