// No-show figures, the binomial overflow chance and the overbooking risk
// (core/no_shows.hpp), and the place limit (core/event_operations.hpp).
#include "core/no_shows.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/event_operations.hpp"

using namespace marquee;

TEST(PlaceLimit, CapacityPlusThePercentRoundedDown) {
  EXPECT_EQ(place_limit(40, 10), 44);
  EXPECT_EQ(place_limit(45, 10), 49);  // 4.5 extra → 4
  EXPECT_EQ(place_limit(40, 0), 40);
  EXPECT_EQ(place_limit(40, 100), 80);
  EXPECT_EQ(place_limit(40, 250), 80);  // clamped to kMaxOverbookPercent
  EXPECT_EQ(place_limit(7, 10), 7);     // 0.7 extra → none
  EXPECT_EQ(place_limit(std::nullopt, 10), std::nullopt);
}

TEST(NoShowFigures, RatesAndSums) {
  NoShowFigures f{1, 20, 5, 2, 3, 12, 3};
  EXPECT_EQ(f.expected(), 15);
  EXPECT_DOUBLE_EQ(*f.no_show_rate(), 0.2);
  EXPECT_DOUBLE_EQ(*f.show_rate(), 0.8);
  f += NoShowFigures{1, 10, 0, 0, 0, 5, 5};
  EXPECT_EQ(f.events, 2);
  EXPECT_EQ(f.registered, 30);
  EXPECT_EQ(f.expected(), 25);
  EXPECT_DOUBLE_EQ(*f.no_show_rate(), 8.0 / 25);
  EXPECT_FALSE(NoShowFigures{}.no_show_rate().has_value());
  EXPECT_FALSE(NoShowFigures{}.show_rate().has_value());
}

TEST(OverflowChance, TheBinomialUpperTail) {
  EXPECT_DOUBLE_EQ(overflow_chance(10, 10, 0.9), 0.0);  // no more places than the room
  EXPECT_DOUBLE_EQ(overflow_chance(11, 10, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(overflow_chance(11, 10, 0.0), 0.0);
  EXPECT_NEAR(overflow_chance(2, 1, 0.5), 0.25, 1e-12);
  EXPECT_NEAR(overflow_chance(11, 10, 0.8), std::pow(0.8, 11), 1e-12);
  // P(X > 10), n = 12, p = 0.8: P(11) + P(12).
  EXPECT_NEAR(overflow_chance(12, 10, 0.8), 12 * std::pow(0.8, 11) * 0.2 + std::pow(0.8, 12), 1e-12);
  // Large n stays finite and sensible: 1,100 places at 0.7 for a room of 1,000 (mean 770) never overflow.
  EXPECT_LT(overflow_chance(1100, 1000, 0.7), 1e-12);
  // 1,100 at 0.95 (mean 1,045) almost surely do.
  EXPECT_GT(overflow_chance(1100, 1000, 0.95), 0.999);
  EXPECT_NEAR(overflow_chance(1000, 500, 0.5), 0.5 - 0.5 * 0.02522501, 1e-6);  // symmetric: (1 − P(X = 500)) / 2
}

TEST(OverbookingRisk, NeedsEnoughHistory) {
  EXPECT_FALSE(overbooking_risk(40, 44, NoShowFigures{1, 19, 0, 0, 0, 15, 4}).has_value());  // 19 < kMinRiskHistory
  const auto r = overbooking_risk(40, 44, NoShowFigures{3, 120, 0, 0, 10, 70, 30});
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(r->show_rate, 0.7);
  EXPECT_EQ(r->expected_turnout, 31);  // 44 × 0.7 = 30.8
  EXPECT_EQ(r->history_events, 3);
  EXPECT_EQ(r->history_expected, 100);
  EXPECT_LT(r->overflow_chance, 0.01);
}
