#pragma once
// A VFS over SQLite's default one that gathers the consecutive writes of a
// write-ahead log into one system call (the SQLite VFS interface,
// https://sqlite.org/c3ref/vfs.html, as the shims of SQLite's own ext/misc
// do). SQLite writes a log frame as two calls, its 24-byte header and then
// the page: about 50,000 calls of 24 bytes or 4 KiB for a 100,000-event
// import, each dear on a virtual machine. Made for connections in WAL mode
// with synchronous=FULL (every SQLite connection Marquee opens).
//
// The bytes written are the same and written in the same order; only when
// is later, and never past a point where SQLite relies on them:
//  - a sync, a truncation, a size asked for, a read that overlaps them, a
//    file control, a mapping (xFetch) or closing the log writes them first;
//  - the main database's unlocks, wal-index unlocks and barriers write the
//    log's first (a writer ends its transaction by letting go of the log's
//    write lock, and another connection may then write the same part of the
//    log: a rolled-back transaction's frames must not come after its). A
//    commit's frames are written out by its sync, before the wal-index says
//    they are there;
//  - the main database's own writes (a checkpoint's pages) are not
//    gathered: SQLite ignores what the file control ending a checkpoint
//    returns, so a failed delayed write there would go unseen. Other files
//    (a statement journal, temporary tables) pass straight through too.
// A log's frames read with their headers, which SQLite does only while it
// holds the log's write lock (rewriting the checksums of a transaction's
// frames at its commit when it wrote a page twice, and recovering the log),
// are read 64 KiB at a time; the headers it writes back there go into that
// window and out together.
// A delayed write that fails (SQLITE_FULL for a full disk, as SQLite's own
// unix VFS reports it) is returned by the call that made it happen and kept
// as the log's error: every later write, sync and truncation of the log fails
// with it, so the transaction cannot commit, until the log's write lock is
// let go (the frames still waiting then are a rolled-back transaction's).
//
// Statement journals. Registering the VFS also sets SQLite's process-wide
// SQLITE_CONFIG_STMTJRNL_SPILL (https://sqlite.org/c3ref/c_config_covering_index_scan.html)
// to kStatementJournalInMemory, 4 MiB instead of 64 KiB. A statement journal
// holds the pages one statement changes inside a larger transaction, so that
// the statement alone can be undone (a multi-row INSERT, an UPDATE or DELETE
// that a constraint may stop half-way); it is never read after a crash. Up
// to that size it stays in memory (one chunk of that size, resident only as
// far as written), past it SQLite writes it to a temporary file as before.
// The same bound applies to the rollback journals of temporary databases
// (SQLITE_OPEN_TEMP_JOURNAL), which Marquee does not use.
// A hot event's registration batch (its multi-row inserts into the
// registrations, their moves and the outbox) passed 64 KiB: each batch
// created, wrote page by page, closed and deleted a file, about a fifth of
// the batch thread's time (`perf`, SQLite, bench/register.sh). The bound
// keeps the large ones on disk: a restore's `DELETE FROM` of a table that
// others reference (row by row, every page of the table and its indexes:
// the stored snapshots, hundreds of MB after many publishes; the
// registrations, 50–100 MB per 100,000).
#include <cstdint>

namespace marquee {

/// Registers the VFS once (not as the default) and returns its name, for
/// sqlite3_open_v2. Throws std::runtime_error when SQLite has no default
/// VFS or refuses the registration.
const char* coalescing_vfs();

/// The largest statement journal kept in memory, in bytes (above).
inline constexpr int kStatementJournalInMemory = 4 << 20;

/// Writes SQLite asked for, system writes made, and reads answered from the
/// read-ahead window, by every file opened through the VFS since the process
/// started, and the statement journals opened as files (for tests and benches).
struct CoalescingVfsCounts {
  std::uint64_t asked = 0;
  std::uint64_t written = 0;
  std::uint64_t from_window = 0;
  std::uint64_t statement_journals = 0;
};
CoalescingVfsCounts coalescing_vfs_counts();

}  // namespace marquee
