#include "app/token_secret.hpp"

#include <sodium.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace marquee {

std::string base64url(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

TokenSecret::TokenSecret(EnsureSetting ensure_setting) : ensure_setting_(std::move(ensure_setting)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

const std::string& TokenSecret::secret() {
  std::lock_guard lock(mutex_);
  if (secret_.empty()) {
    if (const char* env = std::getenv("MARQUEE_SECRET"); env && std::string(env).size() >= 32) {
      secret_ = env;
    } else {
      unsigned char random[32];
      randombytes_buf(random, sizeof random);
      secret_ = ensure_setting_("registration_token_secret", base64url(random, sizeof random));
    }
  }
  return secret_;
}

std::string TokenSecret::derive(const std::string& label, const std::string& data) {
  const std::string& key = secret();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  const std::string message = label + "\x1f" + data;
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return base64url(mac, sizeof mac);
}

namespace {
void seal_key(const std::string& secret, unsigned char (&key)[crypto_secretbox_KEYBYTES]) {
  static const char label[] = "marquee sealed registration token";
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(label), sizeof label - 1,
                     reinterpret_cast<const unsigned char*>(secret.data()), std::min<std::size_t>(secret.size(), crypto_generichash_KEYBYTES_MAX));
}
}  // namespace

std::string TokenSecret::seal(const std::string& plain) {
  unsigned char key[crypto_secretbox_KEYBYTES];
  seal_key(secret(), key);
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), box.data(), key);
  sodium_memzero(key, sizeof key);
  return base64url(box.data(), box.size());
}

std::optional<std::string> TokenSecret::open(const std::string& sealed) {
  std::vector<unsigned char> box(sealed.size());
  std::size_t n = 0;
  if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return std::nullopt;
  unsigned char key[crypto_secretbox_KEYBYTES];
  seal_key(secret(), key);
  std::string plain(n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                            box.data() + crypto_secretbox_NONCEBYTES, n - crypto_secretbox_NONCEBYTES,
                                            box.data(), key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return std::nullopt;
  return plain;
}

}  // namespace marquee
