// Group commit of door scans (issue 19): requests for one list that arrive
// while its transaction is in flight share the next transaction, each gets
// its own results, and a failing request never fails the others.
#include "app/scan_batcher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace marquee;

namespace {

// A store whose record_scans can be held at a gate, counts its calls, and
// fails for a scan with the code "BOOM".
class GatedStore : public CheckinStore {
 public:
  std::int64_t add_checkin_list(const CheckinList&, const ChangeBy&) override { return 1; }
  bool update_checkin_list(const CheckinList&, const ChangeBy&) override { return true; }
  std::vector<CheckinList> list_checkin_lists() override { return {}; }
  std::optional<CheckinList> find_checkin_list(std::int64_t) override { return std::nullopt; }
  CheckinStatus checkin_status(std::int64_t) override { return {}; }
  std::vector<ScanRecord> checkin_scans(std::int64_t, bool, std::size_t) override { return {}; }
  std::vector<DoorTicket> door_tickets(std::int64_t) override { return {}; }

  std::vector<ScanResult> record_scans(std::int64_t list_id, const std::vector<ScanRequest>& scans, UnixSeconds) override {
    std::unique_lock lock(mutex_);
    sizes_.push_back(scans.size());
    ++inside_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    --inside_;
    std::vector<ScanResult> out;
    for (const auto& s : scans) {
      if (s.code == "BOOM") throw std::runtime_error("store failed");
      ScanResult r;
      r.device = s.device;
      r.scan_id = s.scan_id;
      r.event_key = std::to_string(list_id);
      out.push_back(r);
    }
    return out;
  }

  void hold() { std::lock_guard lock(mutex_); open_ = false; }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_inside() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return inside_ > 0; });
  }
  std::vector<std::size_t> sizes() {
    std::lock_guard lock(mutex_);
    return sizes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  int inside_ = 0;
  std::vector<std::size_t> sizes_;
};

ScanRequest scan(const std::string& device, const std::string& id, const std::string& code = "TK000001") {
  return ScanRequest{device, id, code, ScanDirection::entry, 100, false};
}

// Waits (at most 30 s) until `n` requests queue behind the transaction in flight.
void wait_queued(const ScanBatcher& b, std::int64_t list, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (b.queued(list) < n && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(b.queued(list), n);
}

}  // namespace

TEST(ScanBatcher, RequestsArrivingDuringATransactionShareTheNextOne) {
  GatedStore store;
  ScanBatcher batcher(store);
  store.hold();
  auto first = std::async(std::launch::async, [&] { return batcher.record(7, {scan("gate-0", "a")}, 100); });
  store.wait_inside();
  std::vector<std::future<std::vector<ScanResult>>> others;
  for (int g = 1; g <= 3; ++g)
    others.push_back(std::async(std::launch::async, [&, g] {
      const std::string d = "gate-" + std::to_string(g);
      return batcher.record(7, {scan(d, "x"), scan(d, "y")}, 100);
    }));
  wait_queued(batcher, 7, 3);
  store.open();
  EXPECT_EQ(first.get().at(0).device, "gate-0");
  for (int g = 1; g <= 3; ++g) {
    auto r = others[g - 1].get();
    ASSERT_EQ(r.size(), 2u);  // each request gets its own two results, in order
    EXPECT_EQ(r[0].device, "gate-" + std::to_string(g));
    EXPECT_EQ(r[0].scan_id, "x");
    EXPECT_EQ(r[1].scan_id, "y");
  }
  EXPECT_EQ(store.sizes(), (std::vector<std::size_t>{1, 6}));  // two transactions for seven scans
  EXPECT_EQ(batcher.transactions(), 2u);
  EXPECT_EQ(batcher.queued(7), 0u);
}

TEST(ScanBatcher, AFailingRequestFailsAloneAndTheLimitSplitsBatches) {
  GatedStore store;
  ScanBatcher batcher(store, 3);
  store.hold();
  auto first = std::async(std::launch::async, [&] { return batcher.record(1, {scan("a", "1")}, 100); });
  store.wait_inside();
  auto good = std::async(std::launch::async, [&] { return batcher.record(1, {scan("b", "1"), scan("b", "2")}, 100); });
  wait_queued(batcher, 1, 1);
  auto bad = std::async(std::launch::async, [&] { return batcher.record(1, {scan("c", "1", "BOOM")}, 100); });
  wait_queued(batcher, 1, 2);
  auto late = std::async(std::launch::async, [&] { return batcher.record(1, {scan("d", "1")}, 100); });
  wait_queued(batcher, 1, 3);
  store.open();
  first.get();
  EXPECT_EQ(good.get().size(), 2u);
  EXPECT_THROW(bad.get(), std::runtime_error);
  EXPECT_EQ(late.get().at(0).device, "d");
  // 1 (first); b+c share one (3 scans, the limit) which fails, then each alone; d after them.
  EXPECT_EQ(store.sizes(), (std::vector<std::size_t>{1, 3, 2, 1, 1}));
}
