#include "adapters/store/connection_pool.hpp"

namespace marquee {

ConnectionPool::ConnectionPool(std::function<std::unique_ptr<SqlConnection>()> open, int size)
    : open_(std::move(open)), size_(size > 0 ? size : 1) {}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty() || opened_ < size_; });
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++opened_;
  lock.unlock();
  try {
    Lease lease(*this, open_());
    lock.lock();
    ++opened_total_;
    return lease;
  } catch (...) {
    if (!lock.owns_lock()) lock.lock();
    ++open_failures_;
    --opened_;
    available_.notify_one();
    throw;
  }
}

ConnectionPool::Stats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{opened_total_, open_failures_, opened_};
}

void ConnectionPool::release(std::unique_ptr<SqlConnection> c) {
  c->rollback();  // never hand out a connection inside a transaction
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(c));
  }
  available_.notify_one();
}

}  // namespace marquee
