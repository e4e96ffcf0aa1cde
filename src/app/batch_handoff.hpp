#pragma once
// Handing batches from one producing thread to one consuming thread with a
// bound on how many wait: the import parses a file on one thread while the
// store writes the batches already parsed on the other.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace marquee {

/// A bounded queue of batches between one producer and one consumer. The
/// producer calls push() for each batch and finish() at the end; the consumer
/// calls pop() until it returns false, or close() to stop early (the
/// producer's further pushes then return false at once). Thread-safe; no
/// call throws except std::bad_alloc and std::system_error.
template <typename T>
class BatchHandoff {
 public:
  /// `max_waiting`: batches pushed and not yet popped (at least 1); push() blocks beyond it.
  explicit BatchHandoff(std::size_t max_waiting) : max_waiting_(max_waiting ? max_waiting : 1) {}

  /// Queues `batch`, waiting while max_waiting batches wait. False (the batch
  /// dropped) once the consumer has closed.
  bool push(std::vector<T>&& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || waiting_.size() < max_waiting_; });
    if (closed_) return false;
    waiting_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  /// No more batches will come.
  void finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  /// Replaces `batch` with the oldest waiting batch; waits for one. False
  /// when the producer has finished and every batch was taken, or after close().
  bool pop(std::vector<T>& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || finished_ || !waiting_.empty(); });
    if (closed_ || waiting_.empty()) return false;
    batch = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return true;
  }
  /// The consumer stops: waiting batches are dropped, pushes return false.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    waiting_.clear();
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<T>> waiting_;
  std::size_t max_waiting_;
  bool finished_ = false;
  bool closed_ = false;
};

}  // namespace marquee
