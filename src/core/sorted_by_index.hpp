#pragma once
// Sorting large values (events, programme entries) without swapping them:
// an index is sorted, then each value is moved once into place, in the same
// vector (no second vector of them: at 100,000 events one is 0.07–0.1 GB of
// fresh pages to fault in).
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace marquee {

/// Asks for the cache lines of `*item` (a hint: no effect on the result).
template <typename T>
inline void prefetch(const T* item) {
  const char* p = reinterpret_cast<const char*>(item);
  for (std::size_t offset = 0; offset < sizeof(T); offset += 64) __builtin_prefetch(p + offset);
}

/// `items` in the order of `less` (a strict weak order on T; equal items in
/// an unspecified order, as std::sort). O(n log n) index comparisons; each
/// item out of place is moved once, plus one move per cycle of the
/// permutation; items already in order are given back untouched (n - 1
/// comparisons).
template <typename T, typename Less>
std::vector<T> sorted_by_index(std::vector<T> items, Less less) {
  if (std::is_sorted(items.begin(), items.end(), less)) return items;
  const std::size_t n = items.size();
  std::vector<std::size_t> order(n);  // order[i]: the item that belongs at i
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return less(items[x], items[y]); });
  for (std::size_t start = 0; start < n; ++start) {  // follow each cycle once; a placed slot gets order[i] = i
    if (order[start] == start) continue;
    T held = std::move(items[start]);
    std::size_t at = start;
    while (order[at] != start) {
      const std::size_t from = order[at];
      // The item after this one is fetched into the cache while this one moves: at random
      // places in a large vector, each move had waited for memory.
      if (const std::size_t next = order[from]; next != start) prefetch(&items[next]);
      items[at] = std::move(items[from]);
      order[at] = at;
      at = from;
    }
    items[at] = std::move(held);
    order[at] = at;
  }
  return items;
}

}  // namespace marquee
