#pragma once
// The open connections of one server, with a total cap and a per-client cap.
// When a new connection would pass a cap, the oldest idle connection (one
// waiting for its next request) of that client, or of anyone when the total
// is full, is closed to make room; with no idle connection to close, the new
// one is refused. Thread-safe; no Beast here, so it is unit-tested alone.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace marquee {

class ConnectionTable {
 public:
  using Id = std::uint64_t;
  using Clock = std::chrono::steady_clock;
  /// Closes one connection; called outside the table's lock.
  using Closer = std::function<void()>;

  /// `max_total` and `max_per_client` are connection counts (≥ 1).
  ConnectionTable(std::size_t max_total, std::size_t max_per_client);

  /// Admits a connection from `client` (an IP address). Returns its id, or
  /// nothing when it must be refused (the caller closes the socket). Closes
  /// idle connections through their Closer first where needed. A new
  /// connection starts idle (it has not sent a request head yet).
  /// `per_client_cap` false: the per-client cap does not apply (a trusted
  /// reverse proxy carries many clients); the total cap still does.
  std::optional<Id> admit(const std::string& client, Closer closer, bool per_client_cap = true,
                          Clock::time_point now = Clock::now());

  /// Marks a connection as waiting for a request head (idle) or serving one.
  void set_idle(Id id, bool idle, Clock::time_point now = Clock::now());

  /// Forgets a connection (closed by itself); a no-op for one already evicted.
  void remove(Id id);

  /// The closers of every open connection (for shutdown).
  std::vector<Closer> closers() const;

  std::size_t size() const;
  std::size_t client_count(const std::string& client) const;
  std::size_t max_total() const { return max_total_; }
  std::size_t max_per_client() const { return max_per_client_; }

 private:
  struct Entry {
    std::string client;
    Clock::time_point idle_since;
    bool idle = true;
    Closer close;
  };
  std::optional<Id> oldest_idle(const std::string* client) const;
  Closer evict(Id id);

  const std::size_t max_total_, max_per_client_;
  mutable std::mutex mutex_;
  Id next_ = 1;
  std::unordered_map<Id, Entry> entries_;
  std::unordered_map<std::string, std::size_t> per_client_;
};

}  // namespace marquee
