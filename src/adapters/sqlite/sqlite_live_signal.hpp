#pragma once
// Live-pointer notifications between processes sharing one SQLite file, the
// counterpart of PostgreSQL's LISTEN/NOTIFY: a publish that committed writes
// the signal file `<database>-live` beside the database's path (where SQLite
// keeps `<database>-wal` too), and each server's listener wakes on it through
// Linux inotify. A lost signal (a crash between the commit and the write, a
// directory not writable) costs only latency: servers still poll.
#include <memory>
#include <optional>
#include <string>

#include "ports/snapshot_store.hpp"

namespace marquee {

/// The signal file of the database at `database_path`: the path with "-live" appended.
std::string live_signal_path(const std::string& database_path);

/// Writes the signal file of `database_path`: a new file beside it (mode 0644 less the
/// umask) renamed over the signal file, so any user who may write the folder can signal.
/// Best effort: nullopt when written, else why not (with the system's error); never throws.
std::optional<std::string> signal_live_change(const std::string& database_path);

/// A listener woken when the signal file of `database_path` is renamed into place
/// (inotify's IN_MOVED_TO on its folder). nullptr when inotify cannot watch the folder
/// (no such folder, or the user's watch limit reached): the caller polls then.
std::unique_ptr<LiveListener> open_sqlite_listener(const std::string& database_path);

}  // namespace marquee
