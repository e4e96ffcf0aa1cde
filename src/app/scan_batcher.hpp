#pragma once
// Group commit for door scans (issue 19): the scans that gates send to one
// check-in list while a transaction of that list is in flight are queued
// and written together by the next one (CheckinStore::record_scans), so a
// busy list is not limited to one durable commit per scan. The submitting
// threads take turns leading: the one that finds the list idle writes the
// queue as it stands, answers each request its own results, and hands the
// lead to the oldest request still waiting; no thread of its own runs.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <vector>

#include "ports/checkin_store.hpp"

namespace marquee {

class ScanBatcher {
 public:
  /// `max_scans`: scans per transaction at most (a request is never split;
  /// one larger than this is written alone).
  explicit ScanBatcher(CheckinStore& store, std::size_t max_scans = 500) : store_(store), max_scans_(max_scans) {}

  /// Records `scans` at `list_id` (received at `now`, UTC seconds) in a
  /// transaction shared with the requests queued for the same list, and
  /// returns their results in order, as record_scans would alone. When a
  /// shared transaction fails, each of its requests is tried again alone,
  /// so one request's failure is never another's. Throws what the store
  /// threw for this request (StoreError, std::invalid_argument).
  std::vector<ScanResult> record(std::int64_t list_id, std::vector<ScanRequest> scans, UnixSeconds now);

  /// Transactions written so far (for tests and the bench).
  std::uint64_t transactions() const;
  /// Requests of list `list_id` waiting for a transaction (not the one being written).
  std::size_t queued(std::int64_t list_id) const;

 private:
  struct Pending {
    std::vector<ScanRequest> scans;
    UnixSeconds now = 0;
    std::vector<ScanResult> results;
    std::exception_ptr error;
    bool done = false;
    bool lead = false;  ///< handed the lead of its list's queue
  };
  struct Queue {
    std::deque<Pending*> waiting;
    bool busy = false;  ///< a transaction of this list is in flight
  };
  void lead(std::int64_t list_id, std::unique_lock<std::mutex>& lock);
  void write(std::int64_t list_id, const std::vector<Pending*>& batch);

  CheckinStore& store_;
  std::size_t max_scans_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::int64_t, Queue> queues_;
  std::uint64_t transactions_ = 0;
};

}  // namespace marquee
