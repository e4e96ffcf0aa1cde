#include "core/ticket_signature.hpp"

#include <sodium.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace marquee {
namespace {

constexpr std::string_view kPrefix = "MQT1.";

std::string encode(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::vector<unsigned char>> decode(std::string_view text) {
  std::vector<unsigned char> out(text.size());
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

TicketSigningKey ticket_signing_key(const std::array<unsigned char, 32>& seed) {
  ensure_sodium();
  TicketSigningKey k;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret_key.data(), seed.data());
  return k;
}

std::string sign_ticket(const TicketClaim& claim, const TicketSigningKey& key) {
  ensure_sodium();
  const std::string message = claim.code + "\n" + claim.event_key + "\n" + std::to_string(claim.valid_until);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret_key.data());
  return std::string(kPrefix) + encode(reinterpret_cast<const unsigned char*>(message.data()), message.size()) + "." +
         encode(sig, sizeof sig);
}

bool is_signed_ticket(std::string_view text) { return text.starts_with(kPrefix); }

std::optional<TicketClaim> verify_ticket(std::string_view text, const std::array<unsigned char, 32>& public_key) {
  if (!is_signed_ticket(text) || text.size() > 1000 || sodium_init() < 0) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto message = decode(text.substr(0, dot));
  const auto sig = decode(text.substr(dot + 1));
  if (!message || !sig || sig->size() != crypto_sign_BYTES) return std::nullopt;
  if (crypto_sign_verify_detached(sig->data(), message->data(), message->size(), public_key.data()) != 0)
    return std::nullopt;
  const std::string m(message->begin(), message->end());
  const auto a = m.find('\n');
  const auto b = a == std::string::npos ? a : m.find('\n', a + 1);
  if (b == std::string::npos) return std::nullopt;
  TicketClaim c;
  c.code = m.substr(0, a);
  c.event_key = m.substr(a + 1, b - a - 1);
  const std::string until = m.substr(b + 1);
  auto [end, ec] = std::from_chars(until.data(), until.data() + until.size(), c.valid_until);
  if (ec != std::errc() || end != until.data() + until.size() || c.code.empty()) return std::nullopt;
  return c;
}

}  // namespace marquee
