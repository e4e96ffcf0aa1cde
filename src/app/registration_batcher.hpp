#pragma once
// Group commit for registrations: concurrent requests for the same event are
// queued and written by one transaction (RegistrationStore::register_batch),
// so a hot event is not limited to one commit per registration.
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ports/clock.hpp"
#include "ports/registration_store.hpp"

namespace marquee {

class RegistrationBatcher {
 public:
  /// `workers`: transactions in flight at once (at most one per event);
  /// `max_batch`: requests per transaction.
  /// `on_batch`: told each transaction's size, seconds and whether it committed (may be empty).
  using BatchObserver = std::function<void(std::size_t size, double seconds, bool committed)>;
  RegistrationBatcher(RegistrationStore& store, const Clock& clock, int workers, int max_batch,
                      BatchObserver on_batch = {});
  ~RegistrationBatcher();

  /// Queues `request` and blocks until its transaction committed (or failed).
  /// Throws what the store threw when the request itself could not be written.
  RegisterOutcome submit(const RegistrationRequest& request);

 private:
  struct Pending {
    RegistrationRequest request;
    std::promise<RegisterOutcome> promise;
  };
  /// One worker thread: takes batches of events with no transaction in
  /// flight, and waits for work when none is ready, until stopping_.
  void work();
  /// Takes the batch of the first ready event (in key order) and runs it,
  /// with `lock` (on mutex_) released meanwhile; false when none is ready.
  bool run_next(std::unique_lock<std::mutex>& lock);
  /// Sets stopping_, wakes every worker and joins each (after the batch it holds).
  void stop_workers();
  void run_batch(std::vector<Pending*>& batch);

  RegistrationStore& store_;
  const Clock& clock_;
  int max_batch_;
  BatchObserver on_batch_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Pending*>> queues_;  // per event key
  std::set<std::string> busy_;                          // events with a transaction in flight
  // One idle worker is woken when a request arrives for an event with no transaction in flight; a
  // worker whose batch ends takes what is ready next itself (the same event's queue included).
  std::condition_variable work_ready_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace marquee
