#pragma once
// SqlConnection over the SQLite 3 C API: WAL journal, synchronous=FULL,
// foreign keys on, a 10 s busy timeout for writers in other processes.
// Multi-thread mode (SQLITE_OPEN_NOMUTEX): a connection must be used by one
// thread at a time (ConnectionPool leases it so); several connections may
// be used at once.
#include <memory>
#include <string>

#include "adapters/store/sql_connection.hpp"

namespace marquee {

/// Opens (creating when missing, with its parent folder) the database file at
/// `path`. Throws StoreError when it cannot be opened.
std::unique_ptr<SqlConnection> open_sqlite(const std::string& path);

}  // namespace marquee
