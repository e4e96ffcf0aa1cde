#pragma once
// A limit on how often one client address may do something (register, send
// a link again), counted in the store: shared by every instance and kept
// across restarts, like the sign-in limits.
#include <string>

#include "ports/store.hpp"

namespace marquee {

class AddressLimit {
 public:
  /// At most `limit` hits per client address in each fixed window of
  /// `window_seconds`; `limit` 0 turns the limit off. `name` keeps the
  /// counters of different limits apart ("register", "resend-link", …).
  AddressLimit(Store& store, std::string name, int limit, int window_seconds);

  /// Counts one hit for `address` (an IP address as text) at `now` (UTC
  /// seconds). Returns 0 when allowed, else the seconds until the window
  /// ends (for Retry-After). Throws StoreError when the store cannot count.
  int acquire(const std::string& address, UnixSeconds now);

  int limit() const { return limit_; }

 private:
  Store& store_;
  std::string name_;
  int limit_;
  int window_;
};

}  // namespace marquee
