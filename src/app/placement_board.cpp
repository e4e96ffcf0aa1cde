#include "app/placement_board.hpp"

namespace marquee {

PlacementBoard::PlacementBoard(Store& store) : store_(store), current_(std::make_shared<const PlacementSet>()) {}

bool PlacementBoard::refresh() {
  std::lock_guard serial(refresh_mutex_);
  const std::int64_t version = store_.placements_version();
  if (loaded_ && version == current()->version) return false;
  auto next = std::make_shared<PlacementSet>();
  next->version = version;
  next->placements = store_.live_placements();
  for (const auto& p : next->placements)
    if (!next->partner_names.count(p.partner_id))
      if (auto partner = store_.find_partner(p.partner_id)) next->partner_names[p.partner_id] = partner->name;
  std::atomic_store(&current_, std::shared_ptr<const PlacementSet>(std::move(next)));
  version_.store(version, std::memory_order_release);  // after the set: a reader of this version finds it
  loaded_ = true;
  return true;
}

}  // namespace marquee
