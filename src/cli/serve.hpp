#pragma once
// What `marquee serve` does once its flags are read: wires the application,
// finds the programme through the source chain, starts the background jobs
// and serves HTTP until SIGTERM.
#include <string>
#include <utility>

#include "cli/serve_args.hpp"

namespace marquee {

/// Serves the store at `db` (a store URL) as `args` say until the server is
/// told to stop; returns the exit status (0). Throws std::runtime_error for
/// festival flags that do not validate, an unreadable mail password file or
/// templates, a backup folder that cannot be listed, or a port that cannot be
/// bound; a store that cannot be read is no error (the source chain serves).
int serve(const std::string& db, const ServeArgs& args);

/// What serve refuses before it starts anything, checked without touching
/// the store: the festival flags, the store URL's form and the
/// --metrics-listen address. Throws std::runtime_error saying which.
void check_serve_args(const std::string& db, const ServeArgs& args);

/// "127.0.0.1:9181" or "[::1]:9181" → (host, port). Throws std::runtime_error.
std::pair<std::string, unsigned short> listen_address(const std::string& listen);

}  // namespace marquee
