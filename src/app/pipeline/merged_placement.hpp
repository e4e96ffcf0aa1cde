// Registrants read on several threads, put straight into one list by key
// (docs/performance.md, "Registrants placed by key").
#pragma once
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string_view>
#include <vector>

#include "core/pipeline/registrant.hpp"

namespace marquee::pipeline {

/// One list of registrants in key order, filled by several readers (one per
/// raw export, each on its own thread) without a merge afterwards: each
/// reader hands over its keys, sorted, waits until every reader has, and is
/// told where each of its registrants goes in the list; it then fills those
/// places. The order is that of a sort of all by (key, reader), which is
/// what merging the readers' sorted lists, ties by reader, gives.
///
/// Every reader must either arrive() or leave() exactly once (one that
/// could not read its export leaves): those that arrived wait until all
/// have. Thread-safe; readers are numbered 0 … readers − 1.
class MergedPlacement {
 public:
  explicit MergedPlacement(std::size_t readers);
  MergedPlacement(const MergedPlacement&) = delete;
  MergedPlacement& operator=(const MergedPlacement&) = delete;

  struct Places {
    std::vector<std::size_t> at;  ///< index in list() of each key's registrant, in the order of the keys
    std::size_t rank = 0;         ///< how many readers before this one arrived (those that left not counted)
  };

  /// Reader `reader`'s keys, ascending and unique (read during the call
  /// only). Blocks until every reader has arrived or left, then returns
  /// where its registrants go; list() is then sized and its places
  /// default-constructed. Throws std::logic_error for a reader out of range
  /// or one that came before, std::bad_alloc (to every waiting reader) when
  /// the list cannot be made.
  Places arrive(std::size_t reader, const std::vector<std::string_view>& keys);

  /// Reader `reader` places nothing and does not wait (its export could not
  /// be read, or its thread never started). Does nothing for a reader that
  /// already arrived or left. Throws nothing: a failure to make the list is
  /// passed to the readers waiting.
  void leave(std::size_t reader) noexcept;

  /// The list; its places are the readers' to fill once their arrive() has
  /// returned, each only its own.
  std::vector<Registrant>& list() { return list_; }

  /// The list, filled, once every reader is done (moved out).
  std::vector<Registrant> take() { return std::move(list_); }

 private:
  void join(std::size_t reader, const std::vector<std::string_view>* keys);  ///< with mutex_ held
  void place_all();

  std::mutex mutex_;
  std::condition_variable placed_;
  std::size_t readers_;
  std::size_t came_ = 0;
  std::vector<const std::vector<std::string_view>*> keys_;  ///< while readers wait; nullptr for one that left
  std::vector<bool> came_in_;                               ///< arrive()d or left
  std::vector<Places> places_;
  bool done_ = false;
  std::exception_ptr failed_;
  std::vector<Registrant> list_;
};

}  // namespace marquee::pipeline
