#include "adapters/store/connection_pool.hpp"

namespace marquee {

ConnectionPool::ConnectionPool(const std::function<std::unique_ptr<SqlConnection>()>& open, int size) {
  for (int i = 0; i < (size > 0 ? size : 1); ++i) idle_.push_back(open());
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(c));
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
