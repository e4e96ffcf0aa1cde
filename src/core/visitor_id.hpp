#pragma once
// The daily visitor id of privacy-preserving analytics (the scheme of
// Plausible's data policy): a keyed hash that lets one day's signals of one
// browser be counted once, and nothing else. The client address and user
// agent go in and are never kept; once the day's salt is deleted no stored id
// can be linked to anyone. No I/O.
#include <sodium.h>

#include <string>
#include <string_view>

namespace marquee {

/// Bytes of a salt (libsodium crypto_generichash_KEYBYTES).
constexpr std::size_t kVisitorSaltBytes = 32;

/// A fresh random salt: kVisitorSaltBytes from libsodium randombytes_buf,
/// as lower-case hex (64 characters).
std::string new_visitor_salt();

/// BLAKE2b-128 keyed with `salt_hex` (a new_visitor_salt() value) over
/// site, client address and user agent (each length-prefixed, so no two
/// different inputs share a message); 32 lower-case hex characters.
/// Throws std::invalid_argument when `salt_hex` is not 64 hex characters.
std::string visitor_id(std::string_view salt_hex, std::string_view client_address, std::string_view user_agent,
                       std::string_view site);

/// visitor_id() for many clients under one salt and site: the keyed hash
/// state is prepared once (salt decoded, site hashed), each id() copies it.
class VisitorHasher {
 public:
  /// Throws std::invalid_argument when `salt_hex` is not 64 hex characters.
  VisitorHasher(std::string_view salt_hex, std::string_view site);
  /// Wipes the keyed state (sodium_memzero).
  ~VisitorHasher();
  VisitorHasher(const VisitorHasher&) = delete;
  VisitorHasher& operator=(const VisitorHasher&) = delete;
  /// The same value as visitor_id(salt_hex, client_address, user_agent, site).
  std::string id(std::string_view client_address, std::string_view user_agent) const;

 private:
  crypto_generichash_state prepared_;
};

}  // namespace marquee
