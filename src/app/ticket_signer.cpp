#include "app/ticket_signer.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace marquee {

const TicketSigningKey& TicketSigner::key() {
  std::lock_guard lock(mutex_);
  if (!key_) {
    // The seed: HMAC-SHA-256 of the secret under its own label (TokenSecret::derive), decoded.
    const std::string derived = secret_.derive("ticket-signing-key", "ed25519");
    std::array<unsigned char, 32> seed{};
    std::size_t len = 0;
    if (sodium_base642bin(seed.data(), seed.size(), derived.data(), derived.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != seed.size())
      throw std::runtime_error("the ticket signing seed could not be derived");
    key_ = ticket_signing_key(seed);
    sodium_memzero(seed.data(), seed.size());
  }
  return *key_;
}

std::string TicketSigner::payload(const std::string& code, const Event& event) {
  const UnixSeconds end = std::max(event.ends_at, event.starts_at);
  return sign_ticket(TicketClaim{code, event.key, end + 86400}, key());
}

std::string TicketSigner::public_key() {
  const auto& k = key();
  return base64url(k.public_key.data(), k.public_key.size());
}

std::optional<TicketClaim> TicketSigner::verify(std::string_view text) { return verify_ticket(text, key().public_key); }

}  // namespace marquee
