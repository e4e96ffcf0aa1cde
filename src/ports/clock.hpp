#pragma once
// The one seam through which the current time is read, so tests can set it.
#include <atomic>
#include <chrono>

#include "core/event.hpp"

namespace marquee {

class Clock {
 public:
  virtual ~Clock() = default;
  /// The current instant, UTC seconds.
  virtual UnixSeconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

/// A clock tests set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds t) : t_(t) {}
  UnixSeconds now() const override { return t_.load(); }
  void set(UnixSeconds t) { t_.store(t); }

 private:
  std::atomic<UnixSeconds> t_;
};

}  // namespace marquee
