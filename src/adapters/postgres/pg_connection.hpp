#pragma once
// SqlConnection over libpq: parameters sent out of line (PQexecParams, text
// format), never spliced into SQL; '?' placeholders rewritten to $1..$n.
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/store/sql_connection.hpp"

namespace marquee {

/// Connects with a libpq URI ("postgresql://user@127.0.0.1:5432/db").
/// Throws StoreError with libpq's message when the server cannot be reached.
std::unique_ptr<SqlConnection> open_postgres(const std::string& uri);

/// Broken connections this process re-established in place (PQreset), for metrics.
std::uint64_t postgres_reconnects();

}  // namespace marquee
