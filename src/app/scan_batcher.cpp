#include "app/scan_batcher.hpp"

#include <algorithm>
#include <stdexcept>

namespace marquee {

std::vector<ScanResult> ScanBatcher::record(std::int64_t list_id, std::vector<ScanRequest> scans, UnixSeconds now) {
  Pending mine;
  mine.scans = std::move(scans);
  mine.now = now;
  std::unique_lock lock(mutex_);
  Queue& queue = queues_[list_id];
  queue.waiting.push_back(&mine);
  if (queue.busy) {
    // Another request leads: it writes ours with its batch, or hands us the lead.
    changed_.wait(lock, [&] { return mine.done || mine.lead; });
  } else {
    queue.busy = true;
    mine.lead = true;
  }
  if (!mine.done) lead(list_id, lock);
  if (mine.error) std::rethrow_exception(mine.error);
  return std::move(mine.results);
}

// Called holding the lock, with the list marked busy: writes the queue as it
// stands (ours included) batch by batch until our request is done, then hands
// the lead on (or frees the list).
void ScanBatcher::lead(std::int64_t list_id, std::unique_lock<std::mutex>& lock) {
  for (;;) {
    Queue& queue = queues_.at(list_id);
    std::vector<Pending*> batch;
    std::size_t total = 0;
    while (!queue.waiting.empty() &&
           (batch.empty() || total + queue.waiting.front()->scans.size() <= max_scans_)) {
      total += queue.waiting.front()->scans.size();
      batch.push_back(queue.waiting.front());
      queue.waiting.pop_front();
    }
    const bool mine_in_batch = std::any_of(batch.begin(), batch.end(), [](const Pending* p) { return p->lead; });
    lock.unlock();
    write(list_id, batch);
    lock.lock();
    ++transactions_;
    for (Pending* p : batch) p->done = true;
    Queue& after = queues_.at(list_id);
    if (mine_in_batch) {
      if (after.waiting.empty()) queues_.erase(list_id);
      else after.waiting.front()->lead = true;  // the oldest waiting request leads next
      changed_.notify_all();
      return;
    }
    changed_.notify_all();
  }
}

void ScanBatcher::write(std::int64_t list_id, const std::vector<Pending*>& batch) {
  try {
    std::vector<ScanRequest> all;
    UnixSeconds now = 0;
    for (const Pending* p : batch) {
      all.insert(all.end(), p->scans.begin(), p->scans.end());
      now = std::max(now, p->now);
    }
    auto results = store_.record_scans(list_id, all, now);
    if (results.size() != all.size()) throw std::logic_error("record_scans answered a different number of scans");
    std::size_t at = 0;
    for (Pending* p : batch) {
      p->results.assign(std::make_move_iterator(results.begin() + static_cast<std::ptrdiff_t>(at)),
                        std::make_move_iterator(results.begin() + static_cast<std::ptrdiff_t>(at + p->scans.size())));
      at += p->scans.size();
    }
  } catch (...) {
    if (batch.size() == 1) {
      batch.front()->error = std::current_exception();
      return;
    }
    // Nothing of the shared transaction was written: each request alone, so only the failing one fails.
    for (Pending* p : batch) {
      try {
        p->results = store_.record_scans(list_id, p->scans, p->now);
      } catch (...) {
        p->error = std::current_exception();
      }
    }
  }
}

std::uint64_t ScanBatcher::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

std::size_t ScanBatcher::queued(std::int64_t list_id) const {
  std::lock_guard lock(mutex_);
  auto it = queues_.find(list_id);
  if (it == queues_.end()) return 0;
  return static_cast<std::size_t>(std::count_if(it->second.waiting.begin(), it->second.waiting.end(),
                                                [](const Pending* p) { return !p->lead; }));
}

}  // namespace marquee
