// BatchHandoff: batches arrive in order, the bound keeps the producer at most
// max_waiting batches ahead, finish() ends the consumer's loop and close()
// releases a waiting producer.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/batch_handoff.hpp"

using marquee::BatchHandoff;

TEST(BatchHandoff, BatchesArriveInOrderAndFinishEndsTheLoop) {
  BatchHandoff<int> handoff(2);
  std::atomic<int> refused{0};
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i)
      if (!handoff.push({i, i + 1})) ++refused;
    handoff.finish();  // always reached: a failure above is counted, not asserted here
  });
  std::vector<int> batch, firsts;
  while (handoff.pop(batch)) {
    ASSERT_EQ(batch.size(), 2u);
    firsts.push_back(batch[0]);
  }
  producer.join();
  EXPECT_EQ(refused.load(), 0);
  ASSERT_EQ(firsts.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(firsts[i], i);
  EXPECT_FALSE(handoff.pop(batch)) << "finished and empty stays so";
}

// Before each pop the producer can have finished at most (batches popped +
// max_waiting) pushes. A producer that ignored the bound would run through
// its 2,000 pushes while the consumer checks.
TEST(BatchHandoff, TheProducerStaysWithinTheBound) {
  constexpr std::size_t kBound = 2;
  constexpr int kBatches = 2000;
  BatchHandoff<int> handoff(kBound);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < kBatches; ++i) {
      handoff.push({i});
      ++pushed;
    }
    handoff.finish();
  });
  std::vector<int> batch;
  int popped = 0, most_ahead = 0;
  for (;;) {
    most_ahead = std::max(most_ahead, pushed.load() - popped);
    if (!handoff.pop(batch)) break;
    ASSERT_EQ(batch, std::vector<int>{popped});
    ++popped;
  }
  producer.join();
  EXPECT_EQ(popped, kBatches);
  EXPECT_LE(most_ahead, static_cast<int>(kBound));
}

TEST(BatchHandoff, CloseReleasesAWaitingProducerAndDropsItsBatches) {
  BatchHandoff<int> handoff(1);
  ASSERT_TRUE(handoff.push({1}));
  std::atomic<int> refused{0};
  std::thread producer([&] {
    for (int i = 0; i < 3; ++i)
      if (!handoff.push({i})) ++refused;
  });
  handoff.close();
  producer.join();
  EXPECT_EQ(refused.load(), 3);
  std::vector<int> batch;
  EXPECT_FALSE(handoff.pop(batch)) << "closed: nothing more is handed over";
}
