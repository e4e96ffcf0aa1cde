#pragma once
// The installation's registration token secret and what is derived from it:
// HMAC-SHA-256 derivations and sealed (encrypted) personal tokens, so that
// messages can carry an attendee's personal link while the store keeps no
// usable token in clear.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace marquee {


class TokenSecret {
 public:
  /// `ensure_setting(name, value_if_missing)`: the store's installation-wide settings.
  using EnsureSetting = std::function<std::string(const std::string&, const std::string&)>;
  explicit TokenSecret(EnsureSetting ensure_setting);

  /// MARQUEE_SECRET (at least 32 bytes) when set, else the store setting
  /// "registration_token_secret" (created at random by the first process to ask).
  /// Read on first use; throws StoreError when the store cannot be read.
  const std::string& secret();

  /// base64url(HMAC-SHA-256(secret, label 0x1F data)), 43 characters.
  std::string derive(const std::string& label, const std::string& data);

  /// XSalsa20-Poly1305 (libsodium secretbox) of `plain` under a key derived
  /// from the secret; base64url(nonce || ciphertext).
  std::string seal(const std::string& plain);
  /// The plain text of a seal() result; nullopt when it was not sealed with this secret.
  std::optional<std::string> open(const std::string& sealed);

 private:
  EnsureSetting ensure_setting_;
  std::mutex mutex_;
  std::string secret_;
};

/// URL-safe base64 without padding (RFC 4648 §5).
std::string base64url(const unsigned char* data, std::size_t n);

}  // namespace marquee
