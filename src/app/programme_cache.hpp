#pragma once
// The read path's source of truth: an immutable Programme built from the
// store, swapped atomically when the store's generation changes. Readers
// never touch the database.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/programme.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Builds a Programme (local dates and times, search text) from events.
ProgrammePtr build_programme(std::vector<Event> events, std::int64_t generation);

class ProgrammeCache {
 public:
  /// Called after each swap with the new programme (e.g. to pre-render pages).
  using OnSwap = std::function<void(const ProgrammePtr&)>;

  ProgrammeCache(Store& store, OnSwap on_swap);
  ~ProgrammeCache();

  /// Reads the store and swaps if its generation changed (or on first call).
  /// Returns true when a new programme was installed. Throws StoreError.
  bool refresh();
  /// Starts a thread that calls refresh() every `interval_ms` (errors logged,
  /// the current programme kept).
  void start_polling(int interval_ms);
  void stop();

  /// The current programme; never null after the first successful refresh().
  ProgrammePtr current() const { return std::atomic_load(&current_); }

 private:
  Store& store_;
  OnSwap on_swap_;
  ProgrammePtr current_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace marquee
