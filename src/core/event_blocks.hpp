#pragma once
// Events read in blocks that never move: a reader that does not know how
// many events are coming (no count first) appends each in place, where a
// vector growing by doubling would move every event about twice more into
// new memory (at 100,000 events 0.6 KB each). The blocks grow from 256 to
// 16,384 events, each reserved once; from 8,192 events (4.8 MiB) a block is
// advised for huge pages (core/huge_pages.hpp), as the one vector was.
#include <cstddef>
#include <vector>

#include "core/event.hpp"

namespace marquee {

class EventBlocks {
 public:
  static constexpr std::size_t kFirstBlock = 256;
  static constexpr std::size_t kLargestBlock = 16384;

  /// Appends `event` after the others: its address, and every other's, stays
  /// the same for the life of the blocks (they are never moved, only
  /// destroyed with them). Throws std::bad_alloc (nothing appended then).
  Event& push_back(Event&& event);

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  /// Calls `each(const Event&)` for every event in the order appended.
  template <typename Each>
  void for_each(Each&& each) const {
    for (const auto& block : blocks_)
      for (const Event& e : block) each(e);
  }

 private:
  std::vector<std::vector<Event>> blocks_;
  std::size_t size_ = 0;
};

}  // namespace marquee
