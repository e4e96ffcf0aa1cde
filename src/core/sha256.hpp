#pragma once
// SHA-256 (FIPS 180-4) of content given in pieces: a snapshot's payload is
// hashed as it is encoded, never held whole.
#include <memory>
#include <string>
#include <string_view>

namespace marquee {

/// Lower-case hex of `digest` (two digits a byte): how a hash is shown.
std::string lower_hex(std::string_view digest);

/// An incremental SHA-256: the hash of everything given to update(), in
/// order, equal to sha256_hex (core/event_key.hpp) of it all at once.
/// OpenSSL's EVP digest, which uses the CPU's SHA extensions. Not
/// thread-safe; movable, not copyable.
class Sha256 {
 public:
  /// Throws std::runtime_error if OpenSSL cannot start a digest.
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  /// Adds the next bytes. Throws std::runtime_error if OpenSSL fails, or
  /// std::logic_error after hex().
  void update(std::string_view bytes);
  /// The lower-case hex of the hash, all 64 digits; the hash is finished:
  /// update() and hex() may not be called again (std::logic_error).
  /// Throws std::runtime_error if OpenSSL fails.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace marquee
