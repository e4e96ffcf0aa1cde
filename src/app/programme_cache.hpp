#pragma once
// The read path's source of truth: an immutable Programme built from the
// live snapshot, swapped atomically when the live pointer moves (PostgreSQL
// LISTEN/NOTIFY wakes it at once; it also polls, and re-reads after every
// reconnect). Readers never touch the database.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "app/worker_loop.hpp"
#include "core/programme.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Builds a Programme (local dates and times) from events.
/// Drafts, and events whose times cannot be put in their zone (logged), are
/// left out.
ProgrammePtr build_programme(std::vector<Event> events, std::int64_t generation);

/// The same from entries whose `event` alone is set (decode_snapshot_entries):
/// the rest of each entry is filled in place.
ProgrammePtr build_programme_from_entries(std::vector<ProgrammeEntry> entries, std::int64_t generation);

/// Fills the rest of an entry whose `event` is set: local start and end
/// dates ("YYYY-MM-DD") and times ("HH:MM", none for all-day events) in the
/// event's IANA zone, and its UTC offset and zone abbreviation at the start
/// (the search text is made on the first search: Programme::search_texts).
/// Returns false, with `local_date` left empty, for a draft
/// or an event whose times cannot be put in its zone (logged as a warning):
/// such an entry is left out of a programme. Throws std::bad_alloc only.
bool make_programme_entry(ProgrammeEntry& p);

/// A Programme from entries already made (make_programme_entry), leaving
/// out those with an empty `local_date`; `generation`: the store generation
/// (or snapshot number) it was read at. Throws std::bad_alloc only.
ProgrammePtr build_programme_from_made_entries(std::vector<ProgrammeEntry> entries, std::int64_t generation);

class ProgrammeCache {
 public:
  /// Called after each swap with the new programme (e.g. to pre-render pages).
  using OnSwap = std::function<void(const ProgrammePtr&)>;

  ProgrammeCache(Store& store, OnSwap on_swap);
  ~ProgrammeCache();

  /// Reads the live snapshot number and swaps when it changed (or on first
  /// call). Returns true when a new programme was installed. Throws
  /// StoreError; SnapshotFormatError for a corrupt payload.
  bool refresh();
  /// Calls the swap callback again with the current programme (e.g. after the
  /// festival settings changed), serialised with refresh() so that an older
  /// programme never overtakes a newer one.
  void reinstall();
  /// Serves `programme` from a fallback source ("backup" with the file as
  /// `detail`, or "bundled") until the store's live snapshot can be read again.
  void install_fallback(ProgrammePtr programme, const std::string& source, const std::string& detail);

  /// Gives a payload's bytes to the sink piece by piece, in order (throws
  /// what making a piece throws: StoreError for a damaged frame).
  using ContentWriter = std::function<void(const PayloadSink& sink)>;
  /// Called by refresh() with each new live snapshot read from the store
  /// (number, published_at (UTC seconds), content hash, the payload's size
  /// in bytes and its writer), e.g. to keep a copy on local disk: a large
  /// payload is made again piece by piece as it is written, never held
  /// whole. Called after the programme is served. Failures are logged,
  /// never thrown.
  using KeepLocal = std::function<void(std::int64_t number, UnixSeconds published_at, const std::string& content_hash,
                                       std::size_t payload_bytes, const ContentWriter& write_payload)>;
  void set_keep_local(KeepLocal keep) { keep_local_ = std::move(keep); }

  /// Runs after every refresh() (each poll, notification and publish), for
  /// state that wakes with the programme, e.g. the placement board
  /// (app/placement_board.hpp); what it throws is logged, never thrown.
  void set_companion(std::function<void()> companion) { companion_ = std::move(companion); }

  /// Runs before refresh() until it has succeeded once (applies migrations
  /// and seeds a store that was down at start-up).
  void set_prepare(std::function<void()> prepare) { prepare_ = std::move(prepare); }

  /// Where the programme being served comes from.
  struct Serving {
    std::string source;   ///< "live", "backup", "bundled", or "" when nothing is served
    std::string detail;   ///< e.g. the backup file
    std::int64_t snapshot = 0;
    UnixSeconds since = 0;  ///< when this source started serving (UTC seconds)
    std::string last_error;  ///< the store's last error while not live
  };
  Serving serving() const;
  /// Starts a thread that calls refresh() every `interval_ms` (errors logged,
  /// the current programme kept).
  void start_polling(int interval_ms);
  void stop();

  /// The current programme; never null after the first successful refresh().
  ProgrammePtr current() const { return std::atomic_load(&current_); }

 private:
  bool refresh_programme();
  void install(ProgrammePtr programme, const std::string& source, const std::string& detail);
  void note_error(const std::string& error);

  Store& store_;
  OnSwap on_swap_;
  std::function<void()> prepare_;
  std::function<void()> companion_;
  bool prepared_ = false;
  mutable std::mutex serving_mutex_;
  Serving serving_;
  KeepLocal keep_local_;
  ProgrammePtr current_;
  std::mutex refresh_mutex_;
  WorkerLoop poller_;  ///< start_polling()
};

}  // namespace marquee
