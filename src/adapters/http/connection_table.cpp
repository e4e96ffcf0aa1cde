#include "adapters/http/connection_table.hpp"

#include <algorithm>

namespace marquee {

ConnectionTable::ConnectionTable(std::size_t max_total, std::size_t max_per_client)
    : max_total_(std::max<std::size_t>(max_total, 1)), max_per_client_(std::max<std::size_t>(max_per_client, 1)) {}

std::optional<ConnectionTable::Id> ConnectionTable::oldest_idle(const std::string* client) const {
  std::optional<Id> best;
  Clock::time_point best_time{};
  for (const auto& [id, e] : entries_) {
    if (!e.idle || (client && e.client != *client)) continue;
    if (!best || e.idle_since < best_time) best = id, best_time = e.idle_since;
  }
  return best;
}

ConnectionTable::Closer ConnectionTable::evict(Id id) {
  auto it = entries_.find(id);
  Closer close = std::move(it->second.close);
  if (auto c = per_client_.find(it->second.client); c != per_client_.end() && --c->second == 0) per_client_.erase(c);
  entries_.erase(it);
  return close;
}

std::optional<ConnectionTable::Id> ConnectionTable::admit(const std::string& client, Closer closer,
                                                          bool per_client_cap, Clock::time_point now) {
  std::vector<Closer> victims;
  std::optional<Id> id;
  {
    std::lock_guard lock(mutex_);
    auto count = [&] {
      if (!per_client_cap) return std::size_t{0};
      auto it = per_client_.find(client);
      return it == per_client_.end() ? std::size_t{0} : it->second;
    };
    if (count() >= max_per_client_) {
      if (auto v = oldest_idle(&client)) victims.push_back(evict(*v));
    }
    if (count() < max_per_client_ && entries_.size() >= max_total_) {
      if (auto v = oldest_idle(nullptr)) victims.push_back(evict(*v));
    }
    if (count() < max_per_client_ && entries_.size() < max_total_) {
      id = next_++;
      entries_.emplace(*id, Entry{client, now, true, std::move(closer)});
      ++per_client_[client];
    }
  }
  for (auto& v : victims)
    if (v) v();
  return id;
}

void ConnectionTable::set_idle(Id id, bool idle, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.idle = idle;
  if (idle) it->second.idle_since = now;
}

void ConnectionTable::remove(Id id) {
  Closer dropped;  // destroyed outside the lock: it may own the last reference to a connection
  std::lock_guard lock(mutex_);
  if (entries_.count(id)) dropped = evict(id);
}

std::vector<ConnectionTable::Closer> ConnectionTable::closers() const {
  std::lock_guard lock(mutex_);
  std::vector<Closer> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back(e.close);
  return out;
}

std::size_t ConnectionTable::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t ConnectionTable::client_count(const std::string& client) const {
  std::lock_guard lock(mutex_);
  auto it = per_client_.find(client);
  return it == per_client_.end() ? 0 : it->second;
}

}  // namespace marquee
