#include "app/pipeline/merged_placement.hpp"

#include <algorithm>
#include <stdexcept>

namespace marquee::pipeline {

MergedPlacement::MergedPlacement(std::size_t readers)
    : readers_(readers),
      most_of_(readers, 0),
      expected_in_(readers, false),
      came_in_(readers, false),
      keys_(readers, nullptr),
      places_(readers) {}

void MergedPlacement::expect(std::size_t reader, std::size_t most) {
  std::lock_guard lock(mutex_);
  if (reader >= readers_ || expected_in_[reader]) throw std::logic_error("MergedPlacement: a reader expected twice or out of range");
  expected_in_[reader] = true;
  most_of_[reader] = most;
  most_ += most;
  if (++expected_ == readers_) changed_.notify_all();
}

void MergedPlacement::make_list() noexcept {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return expected_ == readers_ || list_ready_; });
  if (list_ready_) return;  // abandoned
  const std::size_t most = most_;
  // The pages are touched here, without the lock: readers may arrive meanwhile.
  lock.unlock();
  std::vector<Registrant> list;
  std::exception_ptr failed;
  try {
    list = std::vector<Registrant>(most);
  } catch (...) {
    failed = std::current_exception();
  }
  lock.lock();
  list_ = std::move(list);
  if (failed && !failed_) failed_ = failed;
  list_ready_ = true;
  changed_.notify_all();
}

void MergedPlacement::abandon() noexcept {
  std::lock_guard lock(mutex_);
  if (list_ready_) return;
  if (!failed_) failed_ = std::make_exception_ptr(std::runtime_error("the registrants' list was not made"));
  list_ready_ = true;
  changed_.notify_all();
}

MergedPlacement::Places MergedPlacement::arrive(std::size_t reader, const std::vector<std::string_view>& keys) {
  std::unique_lock lock(mutex_);
  if (reader >= readers_ || came_in_[reader]) throw std::logic_error("MergedPlacement: a reader arrived twice or out of range");
  if (!expected_in_[reader]) throw std::logic_error("MergedPlacement: a reader arrived without expecting");
  if (keys.size() > most_of_[reader]) throw std::logic_error("MergedPlacement: a reader has more keys than it expected");
  join(reader, &keys);
  changed_.wait(lock, [this] { return done_ && list_ready_; });
  if (failed_) std::rethrow_exception(failed_);
  return std::move(places_[reader]);
}

void MergedPlacement::leave(std::size_t reader) noexcept {
  std::lock_guard lock(mutex_);
  if (reader >= readers_ || came_in_[reader]) return;
  if (!expected_in_[reader]) {
    expected_in_[reader] = true;
    if (++expected_ == readers_) changed_.notify_all();
  }
  join(reader, nullptr);
}

void MergedPlacement::join(std::size_t reader, const std::vector<std::string_view>* keys) {
  came_in_[reader] = true;
  keys_[reader] = keys;
  if (++came_ < readers_) return;
  // The last to come works out everyone's places while the others wait.
  try {
    place_all();
  } catch (...) {
    if (!failed_) failed_ = std::current_exception();
  }
  std::fill(keys_.begin(), keys_.end(), nullptr);  // the readers' own, valid only while they wait
  done_ = true;
  changed_.notify_all();
}

void MergedPlacement::place_all() {
  std::size_t rank = 0;
  for (std::size_t r = 0; r < readers_; ++r) {
    places_[r].rank = rank;
    if (!keys_[r]) continue;
    ++rank;
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
  std::size_t at = 0;
  for (; !heap.empty(); ++at) {
    std::pop_heap(heap.begin(), heap.end(), after);
    const std::size_t r = heap.back();
    places_[r].at[next[r]++] = at;
    if (next[r] < keys_[r]->size()) std::push_heap(heap.begin(), heap.end(), after);
    else heap.pop_back();
  }
  placed_ = at;
}

std::vector<Registrant> MergedPlacement::take() {
  std::lock_guard lock(mutex_);
  if (list_.size() > placed_) list_.resize(placed_);  // places expected, not used: a row left out
  return std::move(list_);
}

}  // namespace marquee::pipeline
