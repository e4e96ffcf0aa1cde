// The offer rules of core/place_offers: the window (hours, shorter close to
// the start, none when too close), the states and promotion names.
#include <gtest/gtest.h>

#include "core/place_offers.hpp"

using namespace marquee;

TEST(OfferExpiry, OfferHoursWhenTheStartIsFar) {
  EXPECT_EQ(offer_expiry(1000, 1000 + 10 * 86400, 12), 1000 + 12 * 3600);
  EXPECT_EQ(offer_expiry(1000, 1000 + 10 * 86400, 1), 1000 + 3600);
}

TEST(OfferExpiry, HalfTheTimeLeftCloseToTheStart) {
  EXPECT_EQ(offer_expiry(0, 6 * 3600, 12), 3 * 3600);       // 6 h left: 3 h, not 12
  EXPECT_EQ(offer_expiry(0, 24 * 3600, 12), 12 * 3600);     // exactly half
  EXPECT_EQ(offer_expiry(0, 20 * 60, 12), 15 * 60);         // 20 min left: the 15-minute floor
  EXPECT_EQ(offer_expiry(0, 15 * 60, 12), 15 * 60);         // the floor, ending at the start
}

TEST(OfferExpiry, NoneWhenTooCloseOrStarted) {
  EXPECT_EQ(offer_expiry(0, 15 * 60 - 1, 12), std::nullopt);
  EXPECT_EQ(offer_expiry(100, 100, 12), std::nullopt);
  EXPECT_EQ(offer_expiry(200, 100, 12), std::nullopt);
}

TEST(OfferExpiry, HoursOutsideTheBoundsAreClamped) {
  EXPECT_EQ(offer_expiry(0, 100 * 86400, 0), kMinOfferHours * 3600);
  EXPECT_EQ(offer_expiry(0, 100 * 86400, 10000), kMaxOfferHours * 3600);
}

TEST(PlaceOffer, AcceptableWhileOpenAndBeforeItsExpiry) {
  PlaceOffer o;
  o.expires_at = 500;
  EXPECT_TRUE(offer_acceptable(o, 499));
  EXPECT_FALSE(offer_acceptable(o, 500));
  o.state = OfferState::declined;
  EXPECT_FALSE(offer_acceptable(o, 100));
}

TEST(PlaceOffer, NamesReadBack) {
  for (auto s : {OfferState::open, OfferState::accepted, OfferState::declined, OfferState::expired, OfferState::withdrawn})
    EXPECT_EQ(parse_offer_state(to_string(s)), s);
  EXPECT_EQ(parse_offer_state("maybe"), std::nullopt);
  EXPECT_EQ(parse_promotion("offer"), Promotion::offer);
  EXPECT_EQ(parse_promotion("automatic"), Promotion::automatic);
  EXPECT_EQ(parse_promotion("Offer"), std::nullopt);
  EXPECT_EQ(offer_answer_text(OfferAnswer::expired).status, 409);
  EXPECT_EQ(offer_answer_text(OfferAnswer::expired).problem_type, "/problems/offer-expired");
}
