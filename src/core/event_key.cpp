#include "core/event_key.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/text.hpp"

namespace marquee {

std::string sha256_hex(std::string_view data) {
  // OpenSSL's SHA-256 uses the CPU's SHA extensions where there are any:
  // libsodium's portable code hashed a 44 MB snapshot in 0.12-0.16 s here.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1 || length != 32)
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    const unsigned char b = digest[i];
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
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
