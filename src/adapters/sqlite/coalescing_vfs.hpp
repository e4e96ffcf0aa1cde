#pragma once
// A VFS over SQLite's default one that gathers a database's and its
// write-ahead log's consecutive writes into one system call (the SQLite VFS
// interface, https://sqlite.org/c3ref/vfs.html, as the shims of SQLite's own
// ext/misc do). SQLite writes a log frame as two calls (its 24-byte header,
// then the page) and a checkpoint page by page: 4 KiB at a time, about
// 70,000 calls for a 100,000-event import, each dear on a virtual machine.
//
// The bytes written are the same and written in the same order; only when
// is later, and never past a point where SQLite relies on them:
//  - a sync, a truncation, a size asked for, a read that overlaps them, a
//    file control, a mapping (xFetch) or closing the file writes them first;
//  - the database file's wal-index locks and barriers write the log's first
//    (a writer ends its transaction by unlocking, and another connection
//    may then write the same part of the log: SQLite's frames of a
//    rolled-back transaction must not come after that connection's);
//  - only the main database and its log are gathered; other files (a
//    statement journal, temporary tables) pass straight through.
// A log's frames read with their headers, which SQLite does only while it
// holds the log's write lock (rewriting the checksums of a transaction's
// frames at its commit when it wrote a page twice, and recovering the log),
// are read 64 KiB at a time; the headers it writes back there go into that
// window and out together.
// A failed delayed write is reported by the call that made it happen (the
// sync of a commit at the latest), with SQLite's own code (SQLITE_FULL for a
// full disk), so the transaction fails as it would have.
#include <cstdint>

namespace marquee {

/// Registers the VFS once (not as the default) and returns its name, for
/// sqlite3_open_v2. Throws std::runtime_error when SQLite has no default
/// VFS or refuses the registration.
const char* coalescing_vfs();

/// Writes SQLite asked for, system writes made, and reads answered from the
/// read-ahead window, by every file opened through the VFS since the process
/// started (for tests and benches).
struct CoalescingVfsCounts {
  std::uint64_t asked = 0;
  std::uint64_t written = 0;
  std::uint64_t from_window = 0;
};
CoalescingVfsCounts coalescing_vfs_counts();

}  // namespace marquee
