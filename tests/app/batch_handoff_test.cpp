// BatchHandoff: batches arrive in order, the bound makes the producer wait,
// finish() ends the consumer's loop and close() releases a waiting producer.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/batch_handoff.hpp"

using marquee::BatchHandoff;

TEST(BatchHandoff, BatchesArriveInOrderAndFinishEndsTheLoop) {
  BatchHandoff<int> handoff(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(handoff.push({i, i + 1}));
    handoff.finish();
  });
  std::vector<int> batch, firsts;
  while (handoff.pop(batch)) {
    ASSERT_EQ(batch.size(), 2u);
    firsts.push_back(batch[0]);
  }
  producer.join();
  ASSERT_EQ(firsts.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(firsts[i], i);
  EXPECT_FALSE(handoff.pop(batch)) << "finished and empty stays so";
}

TEST(BatchHandoff, TheBoundHoldsTheProducerUntilABatchIsTaken) {
  BatchHandoff<int> handoff(1);
  ASSERT_TRUE(handoff.push({1}));
  std::atomic<bool> taking{false};
  bool taken_before_push_returned = false;
  std::thread producer([&] {
    handoff.push({2});  // returns only once batch 1 was taken
    taken_before_push_returned = taking.load();
    handoff.finish();
  });
  taking = true;  // set before the pop: a push that returned without waiting for it reads false
  std::vector<int> batch;
  ASSERT_TRUE(handoff.pop(batch));
  EXPECT_EQ(batch, std::vector<int>{1});
  ASSERT_TRUE(handoff.pop(batch));
  EXPECT_EQ(batch, std::vector<int>{2});
  EXPECT_FALSE(handoff.pop(batch));
  producer.join();
  EXPECT_TRUE(taken_before_push_returned);
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
