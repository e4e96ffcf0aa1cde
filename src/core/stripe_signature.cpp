#include "core/stripe_signature.hpp"

#include <sodium.h>

#include <charconv>

namespace marquee {
namespace {

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void hmac(std::string_view payload, std::string_view t, std::string_view secret,
          unsigned char out[crypto_auth_hmacsha256_BYTES]) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(t.data()), t.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  crypto_auth_hmacsha256_final(&st, out);
  sodium_memzero(&st, sizeof st);
}

}  // namespace

std::string_view to_string(StripeSignatureCheck c) {
  switch (c) {
    case StripeSignatureCheck::valid: return "valid";
    case StripeSignatureCheck::malformed: return "malformed";
    case StripeSignatureCheck::no_v1: return "no_v1";
    case StripeSignatureCheck::stale: return "stale";
    case StripeSignatureCheck::future: return "future";
    case StripeSignatureCheck::mismatch: return "mismatch";
  }
  return "malformed";
}

std::string stripe_v1_signature(std::string_view payload, UnixSeconds t, std::string_view secret) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  hmac(payload, std::to_string(t), secret, mac);
  std::string hex(2 * sizeof mac + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac, sizeof mac);
  hex.pop_back();
  return hex;
}

StripeSignatureCheck check_stripe_signature(std::string_view header, std::string_view payload,
                                            const std::vector<std::string>& secrets, UnixSeconds now,
                                            std::int64_t tolerance_seconds) {
  std::string_view t_text;
  std::vector<std::string_view> v1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim_view(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
    if (name == "t") t_text = value;
    else if (name == "v1") v1.push_back(value);
  }
  UnixSeconds t = 0;
  if (t_text.empty() ||
      std::from_chars(t_text.data(), t_text.data() + t_text.size(), t).ptr != t_text.data() + t_text.size())
    return StripeSignatureCheck::malformed;
  if (v1.empty()) return StripeSignatureCheck::no_v1;
  bool matched = false;
  for (const auto& secret : secrets) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    hmac(payload, t_text, secret, mac);
    for (std::string_view sig : v1) {
      unsigned char given[crypto_auth_hmacsha256_BYTES];
      std::size_t len = 0;
      if (sig.size() != 2 * sizeof given ||
          sodium_hex2bin(given, sizeof given, sig.data(), sig.size(), nullptr, &len, nullptr) != 0 || len != sizeof given)
        continue;
      if (sodium_memcmp(given, mac, sizeof mac) == 0) matched = true;  // no early exit: every pair is compared
    }
  }
  if (!matched) return StripeSignatureCheck::mismatch;
  if (now - t > tolerance_seconds) return StripeSignatureCheck::stale;
  if (t - now > tolerance_seconds) return StripeSignatureCheck::future;
  return StripeSignatureCheck::valid;
}

}  // namespace marquee
