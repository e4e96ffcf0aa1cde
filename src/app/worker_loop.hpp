#pragma once
// One background thread that runs a job over and over: every interval, at
// once when woken, until stopped. The server's background work (programme
// polling, mail delivery, scheduled backups, retention, the availability
// board, settings reload) runs on these.
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace marquee {

class WorkerLoop {
 public:
  using Duration = std::chrono::milliseconds;
  /// One run of a paced job; returns the wait before the next run (0 = at once).
  using Step = std::function<Duration()>;
  /// Told about a std::exception a run threw; the loop goes on. May be empty.
  using OnError = std::function<void(const std::exception&)>;

  /// An idle loop: nothing runs until start().
  WorkerLoop() = default;
  /// Starts at once; see start().
  WorkerLoop(Duration interval, std::function<void()> job, OnError on_error, bool run_at_start = true);
  /// Stops (see stop()).
  ~WorkerLoop();
  WorkerLoop(const WorkerLoop&) = delete;
  WorkerLoop& operator=(const WorkerLoop&) = delete;

  /// Starts the thread: runs `job` at once (after a first wait of `interval`
  /// when !run_at_start), then again after each wait of `interval` or wake(),
  /// whichever comes first, until stop(). Call at most once.
  void start(Duration interval, std::function<void()> job, OnError on_error, bool run_at_start = true);
  /// Like start(), but each run of `step` returns the wait before the next
  /// one; after a run that threw, the wait is `error_wait`. Runs at once.
  void start_paced(Step step, Duration error_wait, OnError on_error);
  /// Ends the current wait now; during a run, the next wait ends at once.
  /// Harmless before start() (the first wait after it ends at once).
  void wake();
  /// Ends the current wait, lets a running job finish and joins the thread.
  /// Idempotent; a loop stopped before start() never runs the job.
  void stop();

 private:
  void run(Duration first_wait, const Step& step, Duration error_wait, const OnError& on_error);
  /// Waits `d`, or until wake() or stop(); true when stopping.
  bool wait(Duration d);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace marquee
