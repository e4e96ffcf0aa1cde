#include "app/worker_loop.hpp"

namespace marquee {

WorkerLoop::WorkerLoop(Duration interval, std::function<void()> job, OnError on_error, bool run_at_start) {
  start(interval, std::move(job), std::move(on_error), run_at_start);
}

WorkerLoop::~WorkerLoop() { stop(); }

void WorkerLoop::start(Duration interval, std::function<void()> job, OnError on_error, bool run_at_start) {
  Step step = [interval, job = std::move(job)] {
    job();
    return interval;
  };
  thread_ = std::thread([this, interval, run_at_start, step = std::move(step), on_error = std::move(on_error)] {
    run(run_at_start ? Duration::zero() : interval, step, interval, on_error);
  });
}

void WorkerLoop::start_paced(Step step, Duration error_wait, OnError on_error) {
  thread_ = std::thread([this, error_wait, step = std::move(step), on_error = std::move(on_error)] {
    run(Duration::zero(), step, error_wait, on_error);
  });
}

void WorkerLoop::run(Duration first_wait, const Step& step, Duration error_wait, const OnError& on_error) {
  if (first_wait > Duration::zero() && wait(first_wait)) return;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    Duration next = error_wait;
    try {
      next = step();
    } catch (const std::exception& e) {
      if (on_error) on_error(e);
    }
    if (wait(next)) return;
  }
}

bool WorkerLoop::wait(Duration d) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, d, [this] { return woken_ || stopping_; });
  woken_ = false;
  return stopping_;
}

void WorkerLoop::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void WorkerLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace marquee
