// Stripe webhook signatures (issue 17): the rules of Stripe's own client
// (stripe-node Webhooks.ts), with the future bound Marquee adds.
#include <gtest/gtest.h>

#include "core/stripe_signature.hpp"

namespace marquee {
namespace {

constexpr UnixSeconds kT = 1795000000;
const std::string kBody = R"({"id":"evt_1"})";
const std::string kSecret = "whsec_test_secret";
// stripe@23.1.0: webhooks.generateTestHeaderString({payload, secret, timestamp: 1795000000})
const std::string kHeader = "t=1795000000,v1=3511d18a343d1afb3e94774a798032a44b9e3ef6ae7b5210fedfdc6efe1773d0";

TEST(StripeSignature, MatchesStripesOwnClient) {
  EXPECT_EQ(stripe_v1_signature(kBody, kT, kSecret), kHeader.substr(kHeader.find("v1=") + 3));
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {kSecret}, kT), StripeSignatureCheck::valid);
  EXPECT_EQ(check_stripe_signature(" t=1795000000 , v1=" + stripe_v1_signature(kBody, kT, kSecret) + " ", kBody, {kSecret}, kT),
            StripeSignatureCheck::valid);
}

TEST(StripeSignature, AnyV1UnderAnyActiveSecretDuringARotation) {
  const std::string old_secret = "whsec_old", new_secret = "whsec_new";
  const std::string header = "t=1795000000,v1=" + std::string(64, '0') + ",v1=" + stripe_v1_signature(kBody, kT, old_secret) +
                             ",v0=" + stripe_v1_signature(kBody, kT, "unknown");
  EXPECT_EQ(check_stripe_signature(header, kBody, {new_secret, old_secret}, kT), StripeSignatureCheck::valid);
  EXPECT_EQ(check_stripe_signature(header, kBody, {new_secret}, kT), StripeSignatureCheck::mismatch);
}

TEST(StripeSignature, EverythingElseIsRefused) {
  EXPECT_EQ(check_stripe_signature(kHeader, kBody + " ", {kSecret}, kT), StripeSignatureCheck::mismatch);  // body changed by a byte
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {"whsec_other"}, kT), StripeSignatureCheck::mismatch);
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {}, kT), StripeSignatureCheck::mismatch);
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {kSecret}, kT + 301), StripeSignatureCheck::stale);
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {kSecret}, kT + 300), StripeSignatureCheck::valid);
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {kSecret}, kT - 301), StripeSignatureCheck::future);
  EXPECT_EQ(check_stripe_signature(kHeader, kBody, {kSecret}, kT - 300), StripeSignatureCheck::valid);
  const std::string v0_only = "t=1795000000,v0=" + stripe_v1_signature(kBody, kT, kSecret);
  EXPECT_EQ(check_stripe_signature(v0_only, kBody, {kSecret}, kT), StripeSignatureCheck::no_v1);
  EXPECT_EQ(check_stripe_signature("", kBody, {kSecret}, kT), StripeSignatureCheck::malformed);
  EXPECT_EQ(check_stripe_signature("v1=" + stripe_v1_signature(kBody, kT, kSecret), kBody, {kSecret}, kT),
            StripeSignatureCheck::malformed);
  EXPECT_EQ(check_stripe_signature("t=17950x,v1=00", kBody, {kSecret}, kT), StripeSignatureCheck::malformed);
  EXPECT_EQ(check_stripe_signature("t=1795000000,v1=zz", kBody, {kSecret}, kT), StripeSignatureCheck::mismatch);
  // An old signature is refused even when the signature matches; a forged one is a mismatch whatever its time.
  EXPECT_EQ(check_stripe_signature("t=1,v1=" + std::string(64, 'a'), kBody, {kSecret}, kT), StripeSignatureCheck::mismatch);
}

}  // namespace
}  // namespace marquee
