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
/// raw export, each on its own thread) without a merge afterwards:
///  1. each reader says how many registrants it may place at most (expect(),
///     once it has parsed its export);
///  2. the thread that started the readers, idle while they read, makes the
///     list meanwhile (make_list(): new memory, each page a fault, is the
///     dear part of it);
///  3. each reader hands over its keys, sorted, waits until every reader has
///     and the list is made, and is told where each of its registrants goes
///     (arrive()); it then fills those places.
/// The order is that of a sort of all by (key, reader), which is what
/// merging the readers' sorted lists, ties by reader, gives.
///
/// Every reader must expect() then arrive(), or leave() at any point before
/// it arrives (one that could not read its export, or failed), once each;
/// the starting thread must call make_list() or, when it gives up,
/// abandon(). Otherwise those waiting wait for ever. Readers are numbered
/// 0 … readers − 1. expect(), make_list(), abandon(), arrive() and leave()
/// may be called from any thread at once; list() and take() as they say.
class MergedPlacement {
 public:
  /// For `readers` readers (0 is allowed: the list is empty).
  explicit MergedPlacement(std::size_t readers);
  MergedPlacement(const MergedPlacement&) = delete;
  MergedPlacement& operator=(const MergedPlacement&) = delete;

  struct Places {
    std::vector<std::size_t> at;  ///< index in list() of each key's registrant, in the order of the keys
    std::size_t rank = 0;         ///< how many readers numbered below this one arrived (those that left not counted)
  };

  /// Reader `reader` will place at most `most` registrants. Throws
  /// std::logic_error for a reader out of range or one that expected or
  /// left before.
  void expect(std::size_t reader, std::size_t most);

  /// By the thread that started the readers: waits until every reader has
  /// expected or left, then makes the list (as many default-constructed
  /// places as they expect in all). Throws nothing: where the list cannot
  /// be made, each reader's arrive() throws std::bad_alloc.
  void make_list() noexcept;

  /// The starting thread gives up before make_list() (it could not start
  /// every reader): each reader's arrive() throws std::runtime_error.
  void abandon() noexcept;

  /// Reader `reader`'s keys, ascending and unique, no more than it expected
  /// (read during the call only). Blocks until every reader has arrived or
  /// left and the list is made, then returns where its registrants go.
  /// Throws std::logic_error (without arriving) for a reader out of range,
  /// one that did not expect, arrived or left before, or has more keys than
  /// it expected; what making the list threw (std::bad_alloc,
  /// std::length_error); std::runtime_error after abandon().
  Places arrive(std::size_t reader, const std::vector<std::string_view>& keys);

  /// Reader `reader` places nothing and does not wait (its export could not
  /// be read, it failed, or its thread never started). Does nothing for a
  /// reader that already arrived or left. Throws nothing.
  void leave(std::size_t reader) noexcept;

  /// The list; its places are the readers' to fill once their arrive() has
  /// returned, each only its own (not synchronized: each writes only the
  /// places it was given).
  std::vector<Registrant>& list() { return list_; }

  /// The list, moved out: as many registrants as keys were given, ordered
  /// by (key, reader). Call once every reader has arrived or left and
  /// those that arrived have finished filling their places (their threads
  /// joined), after make_list(); before that it is cut short.
  std::vector<Registrant> take();

 private:
  void join(std::size_t reader, const std::vector<std::string_view>* keys);  ///< with mutex_ held
  void place_all();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t readers_;
  std::size_t expected_ = 0;  ///< readers that expected or left
  std::size_t came_ = 0;      ///< readers that arrived or left
  std::size_t most_ = 0;      ///< the sum of what they expect
  std::size_t placed_ = 0;    ///< the sum of the keys they gave
  std::vector<std::size_t> most_of_;
  std::vector<bool> expected_in_, came_in_;
  std::vector<const std::vector<std::string_view>*> keys_;  ///< while readers wait; nullptr for one that left
  std::vector<Places> places_;
  bool done_ = false;        ///< every reader came and the places are known
  bool list_ready_ = false;  ///< make_list() or abandon() ran
  std::exception_ptr failed_;
  std::vector<Registrant> list_;
};

}  // namespace marquee::pipeline
