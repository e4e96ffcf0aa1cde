#pragma once
// LISTEN marquee_live on a dedicated libpq connection.
#include <memory>
#include <string>

#include "ports/snapshot_store.hpp"

namespace marquee {

/// The channel publishes notify (payload: the new live snapshot number).
inline constexpr const char* kLiveChannel = "marquee_live";

/// Connects and LISTENs. Throws StoreError when the server cannot be reached.
std::unique_ptr<LiveListener> open_pg_listener(const std::string& uri);

}  // namespace marquee
