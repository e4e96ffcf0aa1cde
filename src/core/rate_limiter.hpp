#pragma once
// Fixed-window rate limiting per key (e.g. a client address), in memory.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/event.hpp"

namespace marquee {

class RateLimiter {
 public:
  /// At most `limit` calls per key in each window of `window_seconds`;
  /// limit 0 disables limiting.
  RateLimiter(int limit, int window_seconds) : limit_(limit), window_(window_seconds > 0 ? window_seconds : 60) {}

  /// Counts one call for `key` at `now` (UTC seconds). Returns 0 when allowed,
  /// otherwise the seconds until the window resets (for Retry-After).
  int acquire(const std::string& key, UnixSeconds now);

 private:
  struct Window {
    UnixSeconds start = 0;
    int count = 0;
  };
  int limit_;
  int window_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace marquee
