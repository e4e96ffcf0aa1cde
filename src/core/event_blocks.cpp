#include "core/event_blocks.hpp"

#include <algorithm>
#include <utility>

#include "core/huge_pages.hpp"

namespace marquee {

Event& EventBlocks::push_back(Event&& event) {
  if (blocks_.empty() || blocks_.back().size() == blocks_.back().capacity()) {
    // Each block as large as the events so far (from 256 up to 4,096): a short programme
    // takes little room, a long one about 2.5 MB a block.
    const std::size_t room = std::clamp(size_, kFirstBlock, kLargestBlock);
    std::vector<Event> block;
    reserve_huge_pages(block, room);
    blocks_.push_back(std::move(block));  // the vector moves, its events' block does not
  }
  ++size_;
  return blocks_.back().emplace_back(std::move(event));
}

}  // namespace marquee
