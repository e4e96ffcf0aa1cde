#include "app/pipeline/merged_placement.hpp"

#include <algorithm>
#include <stdexcept>

namespace marquee::pipeline {

MergedPlacement::MergedPlacement(std::size_t readers)
    : readers_(readers), keys_(readers, nullptr), came_in_(readers, false), places_(readers) {}

MergedPlacement::Places MergedPlacement::arrive(std::size_t reader, const std::vector<std::string_view>& keys) {
  std::unique_lock lock(mutex_);
  if (reader >= readers_ || came_in_[reader]) throw std::logic_error("MergedPlacement: a reader arrived twice or out of range");
  join(reader, &keys);
  placed_.wait(lock, [this] { return done_; });
  if (failed_) std::rethrow_exception(failed_);
  return std::move(places_[reader]);
}

void MergedPlacement::leave(std::size_t reader) noexcept {
  std::unique_lock lock(mutex_);
  if (reader >= readers_ || came_in_[reader]) return;
  join(reader, nullptr);
}

void MergedPlacement::join(std::size_t reader, const std::vector<std::string_view>* keys) {
  came_in_[reader] = true;
  keys_[reader] = keys;
  if (++came_ < readers_) return;
  // The last to come places everyone's registrants while the others wait.
  try {
    place_all();
  } catch (...) {
    failed_ = std::current_exception();
  }
  std::fill(keys_.begin(), keys_.end(), nullptr);  // the readers' own, valid only while they wait
  done_ = true;
  placed_.notify_all();
}

void MergedPlacement::place_all() {
  std::size_t total = 0, rank = 0;
  for (std::size_t r = 0; r < readers_; ++r) {
    places_[r].rank = rank;
    if (!keys_[r]) continue;
    ++rank;
    total += keys_[r]->size();
    places_[r].at.resize(keys_[r]->size());
  }
  // A merge of the readers' sorted keys that only counts: a heap of readers
  // by their next key, the smallest (then the first reader) on top.
  std::vector<std::size_t> next(readers_, 0), heap;
  auto after = [&](std::size_t x, std::size_t y) {
    const std::string_view kx = (*keys_[x])[next[x]], ky = (*keys_[y])[next[y]];
    return kx != ky ? kx > ky : x > y;
  };
  for (std::size_t r = 0; r < readers_; ++r)
    if (keys_[r] && !keys_[r]->empty()) heap.push_back(r);
  std::make_heap(heap.begin(), heap.end(), after);
  for (std::size_t at = 0; !heap.empty(); ++at) {
    std::pop_heap(heap.begin(), heap.end(), after);
    const std::size_t r = heap.back();
    places_[r].at[next[r]++] = at;
    if (next[r] < keys_[r]->size()) std::push_heap(heap.begin(), heap.end(), after);
    else heap.pop_back();
  }
  list_ = std::vector<Registrant>(total);
}

}  // namespace marquee::pipeline
