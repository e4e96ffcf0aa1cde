// adapters/web/representation: RenderOnce, the feeds' and the event list's
// render-on-first-request (issue 22).
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "adapters/web/representation.hpp"

namespace marquee {
namespace {

TEST(RenderOnce, ConcurrentFirstRequestsShareOneRendering) {
  RenderOnce once;
  std::atomic<int> renders{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  std::vector<std::string> seen(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      seen[i] = *once.get([&] {
                       ++renders;
                       return make_representation(std::string(4096, 'x'), "text/plain", "public, max-age=60");
                     }).identity;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(renders.load(), 1);
  for (const auto& s : seen) EXPECT_EQ(s, std::string(4096, 'x'));
}

TEST(RenderOnce, ARenderingThatThrowsIsTriedAgain) {
  RenderOnce once;
  EXPECT_THROW(once.get([]() -> Representation { throw std::runtime_error("store down"); }), std::runtime_error);
  const Representation& rep = once.get([] { return make_representation("ok", "text/plain", "no-store"); });
  EXPECT_EQ(*rep.identity, "ok");
  // Kept: a later call does not render again.
  EXPECT_EQ(&once.get([]() -> Representation { throw std::logic_error("not called"); }), &rep);
}

}  // namespace
}  // namespace marquee
