#include "core/programme_order.hpp"

#include <algorithm>
#include <utility>

#include "core/sorted_by_index.hpp"

namespace marquee {

std::vector<Event> in_programme_order(std::vector<Event> events) {
  return sorted_by_key(std::move(events), [](const Event& e) { return programme_order_key(e); });
}

std::vector<const Event*> programme_order_of(const EventBlocks& events) {
  std::vector<const Event*> out;
  out.reserve(events.size());
  events.for_each([&out](const Event& e) { out.push_back(&e); });
  bool in_order = true;
  for (std::size_t i = 1; i < out.size() && in_order; ++i)
    in_order = !(programme_order_key(*out[i]) < programme_order_key(*out[i - 1]));
  if (in_order) return out;
  std::vector<std::pair<ProgrammeOrderKey, const Event*>> keyed;
  keyed.reserve(out.size());
  for (const Event* e : out) keyed.emplace_back(programme_order_key(*e), e);
  std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].second;
  return out;
}

}  // namespace marquee
