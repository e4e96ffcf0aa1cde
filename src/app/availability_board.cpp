#include "app/availability_board.hpp"

#include <atomic>

namespace marquee {

void AvailabilityBoard::refresh() {
  auto next = std::make_shared<const Board>(store_.taken_counts());
  std::atomic_store(&board_, std::move(next));
}

std::optional<std::int64_t> AvailabilityBoard::taken(const std::string& event_key) const {
  const auto board = std::atomic_load(&board_);
  if (!board) return std::nullopt;
  auto it = board->find(event_key);
  if (it == board->end()) return 0;
  return it->second;
}

}  // namespace marquee
