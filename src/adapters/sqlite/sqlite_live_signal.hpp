#pragma once
// Live-pointer notifications between processes sharing one SQLite file, the
// counterpart of PostgreSQL's LISTEN/NOTIFY: a publish that committed writes
// the signal file `<database>-live` beside the database (as SQLite keeps
// `<database>-wal` there), and each server's listener wakes on it through
// Linux inotify. A lost signal (a crash between the commit and the write, a
// directory not writable) costs only latency: servers still poll.
#include <memory>
#include <string>

#include "ports/snapshot_store.hpp"

namespace marquee {

/// The signal file of the database at `database_path`: the path with "-live" appended.
std::string live_signal_path(const std::string& database_path);

/// Writes the signal file of `database_path` (creating it, mode 0644 less the umask).
/// Best effort: false when it cannot be written; nothing is thrown.
bool signal_live_change(const std::string& database_path);

/// A listener woken when the signal file of `database_path` is written (inotify's
/// IN_CLOSE_WRITE or IN_MOVED_TO on its folder). nullptr when inotify cannot watch the
/// folder (no such folder, or the user's watch limit reached): the caller polls then.
std::unique_ptr<LiveListener> open_sqlite_listener(const std::string& database_path);

}  // namespace marquee
