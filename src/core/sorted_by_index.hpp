#pragma once
// Sorting large values (events, programme entries) without swapping them:
// an index is sorted, then each value is moved once into place.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace marquee {

/// `items` in the order of `less` (a strict weak order on T; equal items in
/// an unspecified order, as std::sort). O(n log n) index comparisons, n moves.
template <typename T, typename Less>
std::vector<T> sorted_by_index(std::vector<T> items, Less less) {
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return less(items[x], items[y]); });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (const auto i : order) sorted.push_back(std::move(items[i]));
  return sorted;
}

}  // namespace marquee
