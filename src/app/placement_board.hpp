#pragma once
// The placements the read path shows, kept in memory (issue 17): reloaded
// from the store only when a placement changed (the store's
// placements_version moved), on the programme cache's wake-ups — a
// PostgreSQL NOTIFY from any instance, the poll, a publish. Readers take the
// current PlacementSet without a lock and never touch the store.
#include <atomic>
#include <memory>
#include <mutex>

#include "core/placement_selection.hpp"
#include "ports/store.hpp"

namespace marquee {

class PlacementBoard {
 public:
  explicit PlacementBoard(Store& store);

  /// Reloads when the store's placements version differs from the loaded
  /// one (always on the first call); true when it did. Throws StoreError
  /// (the loaded set is kept).
  bool refresh();

  /// The loaded set; an empty one (version 0) before the first refresh.
  std::shared_ptr<const PlacementSet> current() const { return std::atomic_load(&current_); }
  /// The version of current(), without taking the set (a cheap check per request).
  std::int64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  Store& store_;
  std::mutex refresh_mutex_;
  bool loaded_ = false;
  std::shared_ptr<const PlacementSet> current_;
  std::atomic<std::int64_t> version_{0};
};

}  // namespace marquee
