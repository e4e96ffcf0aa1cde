#include "app/registration_batcher.hpp"

#include <chrono>

namespace marquee {

RegistrationBatcher::RegistrationBatcher(RegistrationStore& store, const Clock& clock, int workers, int max_batch,
                                         BatchObserver on_batch)
    : store_(store), clock_(clock), max_batch_(max_batch > 0 ? max_batch : 1), on_batch_(std::move(on_batch)) {
  // Workers sleep until woken (the hour is only an upper bound on a wait).
  for (int i = 0; i < (workers > 0 ? workers : 1); ++i)
    workers_.push_back(std::make_unique<WorkerLoop>(std::chrono::hours(1), [this] { drain(); }, nullptr, false));
}

RegistrationBatcher::~RegistrationBatcher() {
  for (auto& w : workers_) w->stop();  // each finishes the batches it took
  drain();                              // and nothing queued is left unanswered
}

RegisterOutcome RegistrationBatcher::submit(const RegistrationRequest& request) {
  Pending pending{request, {}};
  auto result = pending.promise.get_future();
  {
    std::lock_guard lock(mutex_);
    queues_[request.event_key].push_back(&pending);
  }
  wake_workers();
  return result.get();
}

void RegistrationBatcher::wake_workers() {
  for (auto& w : workers_) w->wake();
}

void RegistrationBatcher::drain() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // The oldest-queued event that has no transaction in flight.
    auto ready = queues_.end();
    for (auto it = queues_.begin(); it != queues_.end(); ++it)
      if (!it->second.empty() && !busy_.count(it->first)) { ready = it; break; }
    if (ready == queues_.end()) return;
    const std::string key = ready->first;
    std::vector<Pending*> batch;
    while (!ready->second.empty() && static_cast<int>(batch.size()) < max_batch_) {
      batch.push_back(ready->second.front());
      ready->second.pop_front();
    }
    if (ready->second.empty()) queues_.erase(ready);
    busy_.insert(key);
    lock.unlock();
    run_batch(batch);
    lock.lock();
    busy_.erase(key);
    // The event is free again: a worker that found only it busy may take its queue now.
    if (queues_.count(key)) {
      lock.unlock();
      wake_workers();
      lock.lock();
    }
  }
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
