#include "core/visitor_id.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace marquee {
namespace {

constexpr std::size_t kIdBytes = crypto_generichash_BYTES_MIN;  // 16

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

void update_with_length(crypto_generichash_state& st, std::string_view part) {
  const auto n = static_cast<std::uint32_t>(part.size());
  const std::array<unsigned char, 4> len{static_cast<unsigned char>(n >> 24), static_cast<unsigned char>(n >> 16),
                                         static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
  crypto_generichash_update(&st, len.data(), len.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(part.data()), part.size());
}

}  // namespace

std::string new_visitor_salt() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  std::array<unsigned char, kVisitorSaltBytes> salt{};
  randombytes_buf(salt.data(), salt.size());
  return to_hex(salt.data(), salt.size());
}

VisitorHasher::VisitorHasher(std::string_view salt_hex, std::string_view site) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");  // picks the fastest BLAKE2b
  std::array<unsigned char, kVisitorSaltBytes> key{};
  std::size_t key_len = 0;
  if (salt_hex.size() != kVisitorSaltBytes * 2 ||
      sodium_hex2bin(key.data(), key.size(), salt_hex.data(), salt_hex.size(), nullptr, &key_len, nullptr) != 0 ||
      key_len != key.size())
    throw std::invalid_argument("a visitor salt is 64 hex characters");
  crypto_generichash_init(&prepared_, key.data(), key.size(), kIdBytes);
  sodium_memzero(key.data(), key.size());
  update_with_length(prepared_, site);
}

VisitorHasher::~VisitorHasher() { sodium_memzero(&prepared_, sizeof prepared_); }

std::string VisitorHasher::id(std::string_view client_address, std::string_view user_agent) const {
  crypto_generichash_state st = prepared_;
  update_with_length(st, client_address);
  update_with_length(st, user_agent);
  std::array<unsigned char, kIdBytes> out{};
  crypto_generichash_final(&st, out.data(), out.size());
  return to_hex(out.data(), out.size());
}

std::string visitor_id(std::string_view salt_hex, std::string_view client_address, std::string_view user_agent,
                       std::string_view site) {
  return VisitorHasher(salt_hex, site).id(client_address, user_agent);
}

}  // namespace marquee
