#pragma once
// Tickets a door device can check with no network (issue 19): the QR code
// carries the ticket code, its event and a validity end, signed with Ed25519
// (RFC 8032, libsodium crypto_sign_detached). The device holds only the
// public key, so it can tell a forged code from a real one offline. Pure
// functions, no I/O.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

/// What a signed ticket says.
struct TicketClaim {
  std::string code;            ///< the ticket code (normalised, as stored)
  std::string event_key;
  UnixSeconds valid_until = 0; ///< UTC seconds; a device refuses the ticket after it
};

/// An Ed25519 key pair (libsodium layout: 32-byte public key, 64-byte secret key).
struct TicketSigningKey {
  std::array<unsigned char, 32> public_key{};
  std::array<unsigned char, 64> secret_key{};
};

/// The key pair of a 32-byte seed (crypto_sign_seed_keypair): the same seed
/// always gives the same key, so every instance signs alike.
TicketSigningKey ticket_signing_key(const std::array<unsigned char, 32>& seed);

/// "MQT1." base64url(message) "." base64url(signature), where message is
/// code "\n" event_key "\n" valid_until (decimal UTC seconds) and the
/// signature is Ed25519 over the message bytes (RFC 4648 §5 base64url
/// without padding). 135 characters for a 12-character code and an 8-character
/// event key (a version 8 QR code at level M), at most about 210 for the
/// longest event keys.
std::string sign_ticket(const TicketClaim& claim, const TicketSigningKey& key);

/// True when `text` has the form of a signed ticket (starts with "MQT1.").
bool is_signed_ticket(std::string_view text);

/// The claim of a signed ticket whose signature holds under `public_key`;
/// nullopt when the text is malformed or the signature does not verify
/// (forged, altered, or signed with another installation's key). Never throws.
std::optional<TicketClaim> verify_ticket(std::string_view text, const std::array<unsigned char, 32>& public_key);

}  // namespace marquee
