#pragma once
// A fixed set of database connections shared by threads: acquire() blocks
// until one is free; the lease gives it back when it goes out of scope.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "adapters/store/sql_connection.hpp"

namespace marquee {

class ConnectionPool {
 public:
  /// Up to `size` connections, opened with `open` when first needed (so a
  /// store that is down at start-up does not stop the process). `open` throws
  /// StoreError on failure; acquire() passes that on.
  ConnectionPool(std::function<std::unique_ptr<SqlConnection>()> open, int size);

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<SqlConnection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() { if (c_) pool_->release(std::move(c_)); }
    SqlConnection& operator*() const { return *c_; }
    SqlConnection* operator->() const { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<SqlConnection> c_;
  };

  Lease acquire();

  struct Stats {
    std::uint64_t opened = 0;    ///< connections opened since start
    std::uint64_t failures = 0;  ///< opens that threw
    int open = 0;                ///< open now (in use or idle)
  };
  Stats stats() const;

 private:
  void release(std::unique_ptr<SqlConnection> c);

  std::function<std::unique_ptr<SqlConnection>()> open_;
  int size_;
  int opened_ = 0;
  std::uint64_t opened_total_ = 0;
  std::uint64_t open_failures_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;
};

}  // namespace marquee
