#include "core/programme_order.hpp"

#include "core/sorted_by_index.hpp"

namespace marquee {

std::vector<Event> in_programme_order(std::vector<Event> events) {
  return sorted_by_key(std::move(events), [](const Event& e) { return programme_order_key(e); });
}

}  // namespace marquee
