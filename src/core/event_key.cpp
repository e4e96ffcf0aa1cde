#include "core/event_key.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/sha256.hpp"
#include "core/text.hpp"

namespace marquee {

std::string sha256_hex(std::string_view data) {
  // Long inputs (a snapshot's payload) go to OpenSSL, whose SHA-256 uses the
  // CPU's SHA extensions: at 44 MB 0.03 s instead of libsodium's
  // 0.12-0.16 s here. Short ones (keys, tokens, on every request) stay with
  // libsodium: no context to allocate, no provider lock.
  if (data.size() >= (std::size_t{1} << 16)) {
    Sha256 hash;
    hash.update(data);
    return hash.hex();
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return lower_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string derive_event_key(std::string_view source_ns, std::string_view record_id, std::string_view title) {
  std::string identity(source_ns);
  identity.push_back('\x1f');
  identity.append(record_id);
  std::string slug = slugify(title, 48);
  const std::string suffix = sha256_hex(identity).substr(0, 10);
  return slug.empty() ? "event-" + suffix : slug + "-" + suffix;
}

std::optional<std::string> normalize_explicit_key(std::string_view key) {
  std::string k = ascii_lower(trim(key));
  if (k.empty() || k.size() > kMaxKeyLength) return std::nullopt;
  for (std::size_t i = 0; i < k.size(); ++i) {
    const char c = k[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.'))) return std::nullopt;
  }
  return k;
}

}  // namespace marquee
