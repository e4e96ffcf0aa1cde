#pragma once
// Sorting large values (events, programme entries) without swapping them:
// an index is sorted (or compact keys beside their indexes), then each value
// is moved once into place, in the same vector (no second vector of them: at
// 100,000 events one is 0.07–0.1 GB of fresh pages to fault in).
#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace marquee {

/// Asks for the cache lines of `*item` (a hint: no effect on the result).
template <typename T>
inline void prefetch(const T* item) {
  const char* p = reinterpret_cast<const char*>(item);
  for (std::size_t offset = 0; offset < sizeof(T); offset += 64) __builtin_prefetch(p + offset);
}

namespace sorted_detail {

/// `items` with items[order[i]] moved to i: each item out of place moved
/// once, plus one move per cycle of the permutation.
template <typename T>
std::vector<T> permuted(std::vector<T> items, std::vector<std::size_t> order) {
  const std::size_t n = items.size();
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

}  // namespace sorted_detail

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
  return sorted_detail::permuted(std::move(items), std::move(order));
}

/// sorted_by_index() by a compact key: the items' keys are compared in
/// order until one is out of order (items all in order: given back
/// untouched, each key taken once, nothing allocated); then `key_of(item)`
/// is taken once more per item, in order, and the keys are sorted beside
/// their indexes in one contiguous vector, instead of each comparison
/// reaching into two large items at random places (at 100,000 events of
/// 616 bytes, 30 ms of a publish). The key's operator< must be a strict
/// weak order; a key may view the item's own data (an event's key): no
/// item moves until every comparison is done. Equal keys in an unspecified
/// order.
template <typename T, typename KeyOf>
std::vector<T> sorted_by_key(std::vector<T> items, KeyOf key_of) {
  using Key = std::decay_t<decltype(key_of(std::declval<const T&>()))>;
  const std::size_t n = items.size();
  // Items already in order (a snapshot's events always are) are found so
  // without the keys' vector: at 100,000 items it was 4.0 MB of new memory.
  if (n < 2) return items;
  std::size_t first_out = 1;  // the first item whose key is less than its predecessor's, or n
  for (Key previous = key_of(static_cast<const T&>(items[0])); first_out < n; ++first_out) {
    Key next = key_of(static_cast<const T&>(items[first_out]));
    if (next < previous) break;
    previous = std::move(next);
  }
  if (first_out == n) return items;
  std::vector<std::pair<Key, std::size_t>> keyed;
  keyed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) keyed.emplace_back(key_of(static_cast<const T&>(items[i])), i);
  std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::size_t> order(n);  // order[i]: the item that belongs at i
  for (std::size_t i = 0; i < n; ++i) order[i] = keyed[i].second;
  keyed = {};
  return sorted_detail::permuted(std::move(items), std::move(order));
}

}  // namespace marquee
