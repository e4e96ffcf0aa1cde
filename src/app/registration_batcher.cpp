#include "app/registration_batcher.hpp"

#include <chrono>
#include <exception>

namespace marquee {

RegistrationBatcher::RegistrationBatcher(RegistrationStore& store, const Clock& clock, int workers, int max_batch,
                                         BatchObserver on_batch)
    : store_(store), clock_(clock), max_batch_(max_batch > 0 ? max_batch : 1), on_batch_(std::move(on_batch)) {
  try {
    for (int i = 0; i < (workers > 0 ? workers : 1); ++i) workers_.emplace_back([this] { work(); });
  } catch (...) {  // a thread could not be started: the others end before this throws
    stop_workers();
    throw;
  }
}

void RegistrationBatcher::stop_workers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& w : workers_) w.join();  // each finishes the batch it took
}

RegistrationBatcher::~RegistrationBatcher() {
  stop_workers();
  std::unique_lock lock(mutex_);
  while (run_next(lock)) {
  }  // and nothing queued is left unanswered
}

RegisterOutcome RegistrationBatcher::submit(const RegistrationRequest& request) {
  Pending pending{request, {}};
  auto result = pending.promise.get_future();
  {
    std::lock_guard lock(mutex_);
    queues_[request.event_key].push_back(&pending);
    // With a transaction of this event in flight, a worker takes the queue when that one ends
    // (the worker whose batch ended looks for the next ready queue): waking the others would
    // only have them find the event busy (issue 22: on two cores each request woke every worker,
    // and the context switches were most of the server's time). Notified under the lock: the
    // destructor may answer this request as soon as the lock is released.
    if (!busy_.count(request.event_key)) work_ready_.notify_one();
  }
  return result.get();
}

void RegistrationBatcher::work() {
  std::unique_lock lock(mutex_);
  while (!stopping_)
    if (!run_next(lock)) work_ready_.wait(lock);
}

bool RegistrationBatcher::run_next(std::unique_lock<std::mutex>& lock) {
  auto ready = queues_.end();
  for (auto it = queues_.begin(); it != queues_.end(); ++it)
    if (!it->second.empty() && !busy_.count(it->first)) {
      ready = it;
      break;
    }
  if (ready == queues_.end()) return false;
  const std::string key = ready->first;
  std::vector<Pending*> batch;
  while (!ready->second.empty() && static_cast<int>(batch.size()) < max_batch_) {
    batch.push_back(ready->second.front());
    ready->second.pop_front();
  }
  if (ready->second.empty()) queues_.erase(ready);
  busy_.insert(key);
  lock.unlock();
  try {
    run_batch(batch);
  } catch (...) {
    // What run_batch could not answer (a copy's allocation failed, the observer threw) gets the
    // error; a request already answered keeps its answer.
    const std::exception_ptr error = std::current_exception();
    for (auto* p : batch) {
      try {
        p->promise.set_exception(error);
      } catch (const std::future_error&) {  // promise_already_satisfied
      }
    }
  }
  lock.lock();
  busy_.erase(key);
  return true;
}

void RegistrationBatcher::run_batch(std::vector<Pending*>& batch) {
  std::vector<RegistrationRequest> requests;
  requests.reserve(batch.size());
  for (auto* p : batch) requests.push_back(p->request);
  const auto started = std::chrono::steady_clock::now();
  const auto observe = [&](std::size_t size, bool committed) {
    if (on_batch_)
      on_batch_(size, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), committed);
  };
  try {
    auto outcomes = store_.register_batch(requests, clock_.now());
    observe(batch.size(), true);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->promise.set_value(std::move(outcomes[i]));
    return;
  } catch (const std::exception&) {
    observe(batch.size(), false);
    if (batch.size() == 1) {
      batch[0]->promise.set_exception(std::current_exception());
      return;
    }
  }
  // Nothing of the failed batch was committed: retry one by one so that one
  // bad request cannot fail the others.
  for (auto* p : batch) {
    try {
      p->promise.set_value(store_.register_batch({p->request}, clock_.now()).at(0));
    } catch (const std::exception&) {
      p->promise.set_exception(std::current_exception());
    }
  }
}

}  // namespace marquee
