#pragma once
// One log line per interval for a condition that can repeat thousands of
// times a second (accept failures, refused connections): the line carries
// how many times it happened since the last one.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace marquee {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(std::chrono::seconds interval) : interval_(interval) {}

  /// Counts one occurrence. Returns the number of occurrences to report
  /// (this one included) when a line is due now, else nothing.
  std::optional<std::uint64_t> tick(Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mutex_);
    ++count_;
    if (logged_ && now - last_ < interval_) return std::nullopt;
    logged_ = true;
    last_ = now;
    const auto n = count_;
    count_ = 0;
    return n;
  }

 private:
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  Clock::time_point last_{};
  bool logged_ = false;
  std::uint64_t count_ = 0;
};

}  // namespace marquee
