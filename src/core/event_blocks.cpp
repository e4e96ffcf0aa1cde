#include "core/event_blocks.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "core/huge_pages.hpp"

namespace marquee {

// The largest blocks are large enough for huge pages (as a 100,000-event vector was).
static_assert(EventBlocks::kLargestBlock * sizeof(Event) >= 2 * kHugePageAdviceMin);
static_assert(std::is_nothrow_move_constructible_v<Event>);  // an event moved in never half-appended

Event& EventBlocks::push_back(Event&& event) {
  if (blocks_.empty() || blocks_.back().size() == blocks_.back().capacity()) {
    // Each block as large as the events so far (from 256 up to 16,384): a short programme
    // takes little room, a long one about 10 MB a block in huge pages.
    const std::size_t room = std::clamp(size_, kFirstBlock, kLargestBlock);
    std::vector<Event> block;
    reserve_huge_pages(block, room);
    blocks_.push_back(std::move(block));  // the vector moves, its events' block does not
  }
  Event& placed = blocks_.back().emplace_back(std::move(event));  // within the capacity: never reallocates
  ++size_;
  return placed;
}

}  // namespace marquee
