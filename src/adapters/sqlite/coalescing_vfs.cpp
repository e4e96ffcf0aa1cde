#include "adapters/sqlite/coalescing_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <stdexcept>

namespace marquee {
namespace {

// At most this much waits for one write: the unix VFS writes at most 128 KiB - 1 a call
// (seekAndWriteFd masks the length with 0x1ffff).
constexpr int kGatherBytes = 64 * 1024;

std::atomic<std::uint64_t> g_asked{0};
std::atomic<std::uint64_t> g_written{0};
std::atomic<std::uint64_t> g_from_window{0};
std::atomic<std::uint64_t> g_statement_journals{0};

sqlite3_vfs* g_real = nullptr;

// Our file: the real one follows it in the same allocation (szOsFile).
struct File {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file
  sqlite3_file* real;
  bool is_wal;        // a write-ahead log: gathered (the main database's writes pass straight through)
  char* buffer;       // kGatherBytes, taken on the first gathered write
  int pending;        // bytes waiting in `buffer`
  sqlite3_int64 at;   // where they go
  File* wal;          // for the main database: its log, while open
  File* db;           // for a log: its main database
  int failed;          // a delayed write's error, returned by every later write, sync and truncation
                       // until the log's write lock is let go
  // A log's frames with their headers read ahead (a window of the file), for
  // the two passes SQLite makes over them while it holds the log's write lock:
  // the checksums rewritten at a commit and a recovery. Writes inside it
  // change it and are written back together; it is dropped at every point
  // where what waits is written out.
  char* window;        // kGatherBytes, taken on the first such read
  int window_len;      // bytes held (0: none)
  sqlite3_int64 window_at;
  int dirty_from, dirty_to;  // written part, relative to window_at (empty when equal)
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

// Writes out what waits (the gathered writes, the window's written part)
// and drops the window.
int flush(File* f) {
  int rc = SQLITE_OK;
  if (f->pending > 0) {
    const int n = f->pending;
    f->pending = 0;
    g_written.fetch_add(1, std::memory_order_relaxed);
    rc = f->real->pMethods->xWrite(f->real, f->buffer, n, f->at);
  }
  if (f->dirty_to > f->dirty_from) {
    g_written.fetch_add(1, std::memory_order_relaxed);
    const int written = f->real->pMethods->xWrite(f->real, f->window + f->dirty_from, f->dirty_to - f->dirty_from,
                                                  f->window_at + f->dirty_from);
    if (rc == SQLITE_OK) rc = written;
  }
  f->window_len = f->dirty_from = f->dirty_to = 0;
  if (rc != SQLITE_OK && f->failed == SQLITE_OK) f->failed = rc;
  return rc;
}

bool overlaps(sqlite3_int64 a, sqlite3_int64 a_len, sqlite3_int64 b, sqlite3_int64 b_len) {
  return a < b + b_len && b < a + a_len;
}

// A log frame read with its 24-byte header: a page size (a power of two from 512) plus 24.
bool frame_with_header(int amount) {
  const int page = amount - 24;
  return page >= 512 && (page & (page - 1)) == 0;
}

// The log's waiting frames first, then the database's own.
int flush_both(File* f) {
  int rc = f->wal ? flush(f->wal) : SQLITE_OK;
  const int own = flush(f);
  return rc != SQLITE_OK ? rc : own;
}

int x_close(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  int rc = flush(f);
  if (f->wal) f->wal->db = nullptr;
  if (f->db) f->db->wal = nullptr;
  const int closed = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
  sqlite3_free(f->buffer);
  sqlite3_free(f->window);
  f->buffer = f->window = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = reinterpret_cast<File*>(file);
  if (f->window_len > 0 && offset >= f->window_at && offset + amount <= f->window_at + f->window_len) {
    std::memcpy(out, f->window + (offset - f->window_at), static_cast<std::size_t>(amount));
    g_from_window.fetch_add(1, std::memory_order_relaxed);
    return SQLITE_OK;
  }
  const bool read_ahead = f->is_wal && frame_with_header(amount) && amount <= kGatherBytes;
  if (read_ahead || overlaps(offset, amount, f->at, f->pending) || overlaps(offset, amount, f->window_at, f->window_len))
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  if (read_ahead) {  // the frames that follow, in one read
    if (!f->window) f->window = static_cast<char*>(sqlite3_malloc(kGatherBytes));
    sqlite3_int64 size = 0;
    if (f->window && f->real->pMethods->xFileSize(f->real, &size) == SQLITE_OK && size - offset >= amount) {  // n >= amount
      const int n = static_cast<int>(std::min<sqlite3_int64>(kGatherBytes, size - offset));
      if (f->real->pMethods->xRead(f->real, f->window, n, offset) == SQLITE_OK) {
        f->window_at = offset;
        f->window_len = n;
        std::memcpy(out, f->window, static_cast<std::size_t>(amount));
        return SQLITE_OK;
      }
    }
  }
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = reinterpret_cast<File*>(file);
  g_asked.fetch_add(1, std::memory_order_relaxed);
  if (f->failed != SQLITE_OK) return f->failed;
  if (f->window_len > 0) {
    if (offset >= f->window_at && offset + amount <= f->window_at + f->window_len) {  // inside: kept for later
      const int from = static_cast<int>(offset - f->window_at);
      std::memcpy(f->window + from, data, static_cast<std::size_t>(amount));
      f->dirty_from = f->dirty_to > f->dirty_from ? std::min(f->dirty_from, from) : from;
      f->dirty_to = std::max(f->dirty_to, from + amount);
      return SQLITE_OK;
    }
    if (overlaps(offset, amount, f->window_at, f->window_len))
      if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->is_wal && !f->buffer) f->buffer = static_cast<char*>(sqlite3_malloc(kGatherBytes));
  if (!f->is_wal || !f->buffer || amount > kGatherBytes) {  // straight through, after what waits
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    // In parts of at most 64 KiB: the unix VFS writes at most 128 KiB - 1 a call (it masks the
    // length to 17 bits, and a write of 4 MiB would write nothing and fail with SQLITE_FULL),
    // and a statement journal spilling to its file writes its chunks of kStatementJournalInMemory.
    const auto* bytes = static_cast<const char*>(data);
    for (int done = 0; done < amount;) {
      const int n = std::min(amount - done, kGatherBytes);
      g_written.fetch_add(1, std::memory_order_relaxed);
      if (const int rc = f->real->pMethods->xWrite(f->real, bytes + done, n, offset + done); rc != SQLITE_OK) return rc;
      done += n;
    }
    return SQLITE_OK;
  }
  if (f->pending > 0 && (offset != f->at + f->pending || f->pending + amount > kGatherBytes))
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  if (f->pending == 0) f->at = offset;
  std::memcpy(f->buffer + f->pending, data, static_cast<std::size_t>(amount));
  f->pending += amount;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = reinterpret_cast<File*>(file);
  if (flush(f) != SQLITE_OK || f->failed != SQLITE_OK) return f->failed;
  return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  File* f = reinterpret_cast<File*>(file);
  if (flush(f) != SQLITE_OK || f->failed != SQLITE_OK) return f->failed;
  return f->real->pMethods->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = reinterpret_cast<File*>(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* file, int level) { return real_of(file)->pMethods->xLock(real_of(file), level); }

// An unlock is always passed on (SQLite does not check that it worked): what
// could not be written out is kept as the log's error.
int x_unlock(sqlite3_file* file, int level) {
  File* f = reinterpret_cast<File*>(file);
  flush_both(f);
  return f->real->pMethods->xUnlock(f->real, level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_of(file)->pMethods->xCheckReservedLock(real_of(file), out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  File* f = reinterpret_cast<File*>(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int x_sector_size(sqlite3_file* file) { return real_of(file)->pMethods->xSectorSize(real_of(file)); }

int x_device_characteristics(sqlite3_file* file) {
  return real_of(file)->pMethods->xDeviceCharacteristics(real_of(file));
}

int x_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return real_of(file)->pMethods->xShmMap(real_of(file), region, size, extend, out);
}

// Before a wal-index lock is let go, the log's frames are written out: a
// writer lets go of the log's write lock (lock 0) at the end of its
// transaction, committed or rolled back, and the next writer may write the
// same part of the log. A rolled-back transaction's frames are the only ones
// that can still wait then (a commit syncs first), so a failure to write
// them loses nothing: the log's error ends with the write lock. Taking a
// lock needs nothing written first.
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = reinterpret_cast<File*>(file);
  if (!(flags & SQLITE_SHM_UNLOCK)) return f->real->pMethods->xShmLock(f->real, offset, n, flags);
  flush_both(f);
  const int rc = f->real->pMethods->xShmLock(f->real, offset, n, flags);
  if (offset == 0 && f->wal) f->wal->failed = SQLITE_OK;
  return rc;
}

void x_shm_barrier(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  flush_both(f);  // no way to report here: kept as the log's error (a commit has synced before)
  f->real->pMethods->xShmBarrier(f->real);
}

int x_shm_unmap(sqlite3_file* file, int remove) { return real_of(file)->pMethods->xShmUnmap(real_of(file), remove); }

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = reinterpret_cast<File*>(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return real_of(file)->pMethods->xUnfetch(real_of(file), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,  // iVersion: shared memory (WAL) and memory-mapped reads forwarded
    x_close,     x_read,       x_write,          x_truncate,     x_sync,
    x_file_size, x_lock,       x_unlock,         x_check_reserved_lock,
    x_file_control, x_sector_size, x_device_characteristics,
    x_shm_map,   x_shm_lock,   x_shm_barrier,    x_shm_unmap,
    x_fetch,     x_unfetch,
};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = reinterpret_cast<File*>(file);
  std::memset(f, 0, sizeof(File));
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  const int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {  // our pMethods left null: SQLite will not close it, so it is closed here if it needs to be
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return rc;
  }
  if (!f->real->pMethods) return SQLITE_CANTOPEN;
  if (f->real->pMethods->iVersion < 3) {  // the default VFS's files speak version 3 (shared memory, mapping)
    f->real->pMethods->xClose(f->real);
    return SQLITE_CANTOPEN;
  }
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  if (flags & SQLITE_OPEN_SUBJOURNAL) g_statement_journals.fetch_add(1, std::memory_order_relaxed);
  if ((flags & SQLITE_OPEN_WAL) && name) {
    // The log's main database, opened through this VFS too (the same connection).
    if (sqlite3_file* main = sqlite3_database_file_object(name); main && main->pMethods == &kMethods) {
      f->db = reinterpret_cast<File*>(main);
      f->db->wal = f;
    }
  }
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_real->xDelete(g_real, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) { return g_real->xDlSym(g_real, handle, symbol); }
void x_dl_close(sqlite3_vfs*, void* handle) { g_real->xDlClose(g_real, handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int micros) { return g_real->xSleep(g_real, micros); }
int x_current_time(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }

}  // namespace

const char* coalescing_vfs() {
  static const char* const name = [] {
    // Before SQLite initializes itself (finding a VFS does; later, sqlite3_config refuses with
    // SQLITE_MISUSE and the defaults stay): no memory statistics, which took a global mutex on
    // every allocation of every connection; and statement journals that stay in memory up to
    // 4 MiB (the header's "Statement journals"). Were SQLite already initialized, both would
    // keep their defaults: slower, not wrong (the unit tests would see the journals' files).
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalInMemory);
    g_real = sqlite3_vfs_find(nullptr);
    if (!g_real || g_real->iVersion < 2) throw std::runtime_error("SQLite has no default VFS of version 2 or later");
    // sqlite3_vfs's members in their order, up to version 2's.
    static sqlite3_vfs vfs{2, static_cast<int>(sizeof(File)) + g_real->szOsFile, g_real->mxPathname, nullptr,
                           "marquee-gathering", nullptr, x_open, x_delete, x_access, x_full_pathname, x_dl_open,
                           x_dl_error, x_dl_sym, x_dl_close, x_randomness, x_sleep, x_current_time, x_get_last_error,
                           x_current_time_int64, nullptr, nullptr, nullptr};
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) throw std::runtime_error("SQLite refused the gathering VFS");
    return vfs.zName;
  }();
  return name;
}

CoalescingVfsCounts coalescing_vfs_counts() {
  return CoalescingVfsCounts{g_asked.load(std::memory_order_relaxed), g_written.load(std::memory_order_relaxed),
                             g_from_window.load(std::memory_order_relaxed),
                             g_statement_journals.load(std::memory_order_relaxed)};
}

}  // namespace marquee
