#include "core/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace marquee {

std::string lower_hex(std::string_view digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const char c : digest) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

struct Sha256::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // looked up once
  context_->md = EVP_MD_CTX_new();
  if (sha256 == nullptr || context_->md == nullptr || EVP_DigestInit_ex(context_->md, sha256, nullptr) != 1)
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_DigestInit_ex)");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (!context_) throw std::logic_error("SHA-256: update after the hash was finished (or moved from)");
  if (EVP_DigestUpdate(context_->md, bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_DigestUpdate)");
}

std::string Sha256::hex() {
  if (!context_) throw std::logic_error("SHA-256: the hash was already finished (or moved from)");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_->md, digest, &length) != 1 || length != 32)
    throw std::runtime_error("SHA-256 failed (OpenSSL EVP_DigestFinal_ex)");
  context_.reset();
  return lower_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace marquee
