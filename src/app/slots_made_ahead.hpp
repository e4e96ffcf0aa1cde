#pragma once
// Default-made values made on a thread of their own and used as they come:
// a server installing a large snapshot decodes its first entries while the
// last are still being made (docs/performance.md, "Entries used as they are
// made").
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

#include "core/huge_pages.hpp"

namespace marquee {

/// `count` value-initialised T made in order, on a thread of their own, in
/// one block advised for huge pages (reserve_huge_pages), each usable as
/// soon as it is made. At 100,000 programme entries that is 80 MB of new
/// memory, about 0.1-0.2 s on 2-core virtual machines, most of it the kernel
/// zeroing pages: a decoder that waited for all of them waited for that.
///
/// data() is fixed from construction; wait_for(n) blocks until data()[0, n)
/// are made, after which those values belong to the caller (to read and
/// write: they are never touched again by the maker); take() waits for all
/// and hands the vector of all `count` over. Thread-safe: data(), size() and
/// wait_for() from any number of threads at once; take() once, from one
/// thread, after which only the destructor may be called. The destructor
/// (no wait_for() may still be running) stops the maker after its current
/// batch and waits for it: a payload found malformed does not wait for 80 MB
/// of values no one will use. Throws what reserving throws (std::length_error,
/// std::bad_alloc) and std::system_error (no thread) from the constructor;
/// wait_for() and take() throw what making a value threw.
template <typename T>
class SlotsMadeAhead {
 public:
  explicit SlotsMadeAhead(std::size_t count) : count_(count) {
    reserve_huge_pages(slots_, count);
    data_ = slots_.data();
    maker_ = std::thread([this] { make(); });
  }
  ~SlotsMadeAhead() {
    stop_.store(true, std::memory_order_relaxed);
    if (maker_.joinable()) maker_.join();
  }
  SlotsMadeAhead(const SlotsMadeAhead&) = delete;
  SlotsMadeAhead& operator=(const SlotsMadeAhead&) = delete;

  /// The values' block: data()[i] is made once wait_for(i + 1) has returned.
  T* data() const { return data_; }
  /// How many values are made in all.
  std::size_t size() const { return count_; }

  /// Blocks until the first min(n, size()) values are made.
  void wait_for(std::size_t n) {
    n = std::min(n, count_);
    for (std::size_t made = made_.load(std::memory_order_acquire);; made = made_.load(std::memory_order_acquire)) {
      if (made == kFailed) std::rethrow_exception(error_);
      if (made >= n) return;
      made_.wait(made, std::memory_order_acquire);
    }
  }

  /// All size() values, once made (the values given by wait_for included,
  /// as the callers left them).
  std::vector<T> take() {
    maker_.join();
    if (error_) std::rethrow_exception(error_);
    return std::move(slots_);
  }

 private:
  static constexpr std::size_t kFailed = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t kBatch = 1024;  // values made between two wake-ups of the waiters

  // The vector is only grown within its reserved block: data_ stays valid,
  // and the values the waiters hold are never touched again here.
  void make() noexcept {
    try {
      for (std::size_t i = 0; i < count_ && !stop_.load(std::memory_order_relaxed);) {
        for (const std::size_t end = std::min(count_, i + kBatch); i < end; ++i) slots_.emplace_back();
        made_.store(i, std::memory_order_release);
        made_.notify_all();
      }
    } catch (...) {
      error_ = std::current_exception();
      made_.store(kFailed, std::memory_order_release);
      made_.notify_all();
    }
  }

  std::size_t count_;
  std::vector<T> slots_;
  T* data_ = nullptr;
  std::atomic<std::size_t> made_{0};
  std::atomic<bool> stop_{false};  // set by the destructor: the values are not wanted
  std::exception_ptr error_;
  std::thread maker_;
};

}  // namespace marquee
