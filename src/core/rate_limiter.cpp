#include "core/rate_limiter.hpp"

namespace marquee {

int RateLimiter::acquire(const std::string& key, UnixSeconds now) {
  if (limit_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  if (windows_.size() > 100000) {  // forget finished windows so the map stays small
    for (auto it = windows_.begin(); it != windows_.end();)
      it = (now - it->second.start >= window_) ? windows_.erase(it) : std::next(it);
  }
  Window& w = windows_[key];
  if (now - w.start >= window_) w = Window{now, 0};  // a window opens with its first call
  if (w.count >= limit_) return static_cast<int>(w.start + window_ - now);
  ++w.count;
  return 0;
}

}  // namespace marquee
