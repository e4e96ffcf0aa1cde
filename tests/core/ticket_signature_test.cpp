// Signed ticket QR payloads (issue 19): a door device with only the public
// key tells a real ticket from a forged or altered one.
#include "core/ticket_signature.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace marquee;

namespace {

TicketSigningKey key_of(unsigned char fill) {
  std::array<unsigned char, 32> seed{};
  seed.fill(fill);
  return ticket_signing_key(seed);
}

}  // namespace

TEST(TicketSignature, ARoundTripGivesTheClaimBack) {
  const auto key = key_of(7);
  const std::string payload = sign_ticket(TicketClaim{"ABCD2345EFGH", "hl27-023", 1812000000}, key);
  EXPECT_TRUE(payload.starts_with("MQT1."));
  EXPECT_TRUE(is_signed_ticket(payload));
  EXPECT_LE(payload.size(), 152u);  // a version 8 QR code at level M holds 152 bytes
  const auto claim = verify_ticket(payload, key.public_key);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->code, "ABCD2345EFGH");
  EXPECT_EQ(claim->event_key, "hl27-023");
  EXPECT_EQ(claim->valid_until, 1812000000);
  // The same seed gives the same key on every instance, so the same signature.
  EXPECT_EQ(sign_ticket(TicketClaim{"ABCD2345EFGH", "hl27-023", 1812000000}, key_of(7)), payload);
}

TEST(TicketSignature, ForgedAlteredForeignAndMalformedPayloadsAreRefused) {
  const auto key = key_of(7);
  const std::string payload = sign_ticket(TicketClaim{"ABCD2345EFGH", "hl27-023", 1812000000}, key);
  // Another installation's key.
  EXPECT_FALSE(verify_ticket(payload, key_of(8).public_key));
  // A claim for another event, signed by nobody: the old signature does not cover it.
  const std::string other = sign_ticket(TicketClaim{"ABCD2345EFGH", "hl27-024", 1812000000}, key_of(9));
  const std::string spliced = other.substr(0, other.rfind('.')) + payload.substr(payload.rfind('.'));
  EXPECT_FALSE(verify_ticket(spliced, key.public_key));
  // One character of the signature changed.
  std::string flipped = payload;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_ticket(flipped, key.public_key));
  for (const std::string& bad : std::vector<std::string>{"", "MQT1.", "MQT1.abc", "MQT1.!!!.???", "ABCD2345EFGH", "MQT1." + std::string(2000, 'A') + ".A"})
    EXPECT_FALSE(verify_ticket(bad, key.public_key)) << bad;
  EXPECT_FALSE(is_signed_ticket("ABCD-2345"));
}
