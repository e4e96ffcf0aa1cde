#pragma once
// The installation's ticket signing key (issue 19), derived from the
// registration token secret (TokenSecret), so every instance signs alike and
// no new secret has to be kept. Changing MARQUEE_SECRET changes the key:
// personal pages then show newly signed codes, and codes signed before are
// refused as forged (plain ticket codes always keep working).
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/token_secret.hpp"
#include "core/ticket_signature.hpp"

namespace marquee {

class TicketSigner {
 public:
  explicit TicketSigner(TokenSecret& secret) : secret_(secret) {}

  /// The QR payload of ticket `code` for `event` (sign_ticket), valid until a
  /// day after the event ends. Reads the
  /// secret on first use: throws StoreError when the store cannot be read.
  std::string payload(const std::string& code, const Event& event);

  /// The public key, base64url (RFC 4648 §5, no padding; 43 characters).
  std::string public_key();

  /// The claim of a signed payload whose signature holds under this key; nullopt otherwise.
  std::optional<TicketClaim> verify(std::string_view text);

 private:
  const TicketSigningKey& key();

  TokenSecret& secret_;
  std::mutex mutex_;
  std::optional<TicketSigningKey> key_;
};

}  // namespace marquee
