#include "adapters/postgres/pg_connection.hpp"
#include "adapters/sqlite/sqlite_connection.hpp"
#include "adapters/store/sql_store.hpp"
#include "ports/store.hpp"

namespace marquee {

std::unique_ptr<Store> open_store(const std::string& url, int connections) {
  if (url.starts_with("sqlite:///")) {
    // SQLAlchemy convention: sqlite:///rel/path.db is relative, sqlite:////abs/path.db absolute.
    const std::string path = url.substr(std::string("sqlite:///").size());
    if (path.empty()) throw StoreError("sqlite URL has no file path: '" + url + "'");
    return std::make_unique<SqlStore>([path] { return open_sqlite(path); }, connections > 0 ? connections : 4, std::nullopt,
                                      path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return std::make_unique<SqlStore>([url] { return open_postgres(url); }, connections > 0 ? connections : 8, url);
  throw StoreError("unknown database URL '" + url +
                   "': use sqlite:///relative.db, sqlite:////absolute.db or postgresql://user@host:port/db");
}

}  // namespace marquee
