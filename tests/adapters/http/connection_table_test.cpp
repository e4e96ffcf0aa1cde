// The connection caps (issue 13, item 1): total and per-client, oldest idle
// connection closed first, refusal when nothing is idle.
#include <gtest/gtest.h>

#include <vector>

#include "adapters/http/connection_table.hpp"

namespace marquee {
namespace {

using Clock = ConnectionTable::Clock;

struct Closed {
  std::vector<int> ids;
  ConnectionTable::Closer closer(int n) {
    return [this, n] { ids.push_back(n); };
  }
};

TEST(ConnectionTable, PerClientCapClosesThatClientsOldestIdleConnection) {
  ConnectionTable t(100, 3);
  Closed closed;
  const auto t0 = Clock::now();
  auto a = t.admit("10.0.0.1", closed.closer(1), true, t0);
  auto b = t.admit("10.0.0.1", closed.closer(2), true, t0 + std::chrono::seconds(1));
  auto c = t.admit("10.0.0.1", closed.closer(3), true, t0 + std::chrono::seconds(2));
  auto other = t.admit("10.0.0.2", closed.closer(9), true, t0);  // older, but another client
  ASSERT_TRUE(a && b && c && other);
  t.set_idle(*a, false, t0 + std::chrono::seconds(3));  // busy: never closed to make room
  auto d = t.admit("10.0.0.1", closed.closer(4), true, t0 + std::chrono::seconds(4));
  ASSERT_TRUE(d);
  EXPECT_EQ(closed.ids, std::vector<int>{2});
  EXPECT_EQ(t.client_count("10.0.0.1"), 3u);
  EXPECT_EQ(t.size(), 4u);
  t.remove(*b);  // the evicted connection closing itself changes nothing
  EXPECT_EQ(t.client_count("10.0.0.1"), 3u);
}

TEST(ConnectionTable, RefusesWhenNothingIsIdle) {
  ConnectionTable t(2, 10);
  Closed closed;
  auto a = t.admit("a", closed.closer(1));
  auto b = t.admit("b", closed.closer(2));
  t.set_idle(*a, false);
  t.set_idle(*b, false);
  EXPECT_FALSE(t.admit("c", closed.closer(3)));
  EXPECT_TRUE(closed.ids.empty());
  t.remove(*a);
  EXPECT_TRUE(t.admit("c", closed.closer(3)));
}

TEST(ConnectionTable, TotalCapClosesTheOldestIdleOfAnyone) {
  ConnectionTable t(3, 10);
  Closed closed;
  const auto t0 = Clock::now();
  auto a = t.admit("a", closed.closer(1), true, t0 + std::chrono::seconds(5));
  auto b = t.admit("b", closed.closer(2), true, t0);
  auto c = t.admit("c", closed.closer(3), true, t0 + std::chrono::seconds(7));
  ASSERT_TRUE(a && b && c);
  t.set_idle(*c, true, t0 + std::chrono::seconds(1));  // idle again, since 1 s: b (0 s) is older still
  EXPECT_TRUE(t.admit("d", closed.closer(4), true, t0 + std::chrono::seconds(8)));
  EXPECT_EQ(closed.ids, std::vector<int>{2});
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.client_count("b"), 0u);
}

TEST(ConnectionTable, ATrustedProxyIsNotCappedPerClient) {
  ConnectionTable t(5, 2);
  Closed closed;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(t.admit("nginx", closed.closer(i), false)) << i;
  EXPECT_TRUE(closed.ids.empty());
  EXPECT_TRUE(t.admit("nginx", closed.closer(9), false));  // the total cap still closes the oldest idle
  EXPECT_EQ(closed.ids.size(), 1u);
}

TEST(ConnectionTable, ClosersReachEveryConnectionForShutdown) {
  ConnectionTable t(10, 10);
  Closed closed;
  t.admit("a", closed.closer(1));
  t.admit("b", closed.closer(2));
  for (auto& c : t.closers()) c();
  EXPECT_EQ(closed.ids.size(), 2u);
}

}  // namespace
}  // namespace marquee
