#include "adapters/backup/backup_key.hpp"

#include <sodium.h>

#include <fstream>

#include "adapters/backup/backup_file.hpp"

namespace marquee {

BackupKey load_backup_key(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw BackupError("cannot read the backup key file " + path);
  std::string secret;
  std::getline(in, secret);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ' || secret.back() == '\t')) secret.pop_back();
  while (!secret.empty() && (secret.front() == ' ' || secret.front() == '\t')) secret.erase(0, 1);
  if (secret.size() < 32)
    throw BackupError("the backup key in " + path + " is " + std::to_string(secret.size()) +
                      " characters; use at least 32 (e.g. head -c 32 /dev/urandom | base64)");
  if (sodium_init() < 0) throw BackupError("libsodium could not be initialised");
  static constexpr char kContext[] = "marquee backup key v1";
  BackupKey key;
  crypto_generichash(key.bytes.data(), key.bytes.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), reinterpret_cast<const unsigned char*>(kContext), sizeof kContext - 1);
  sodium_memzero(secret.data(), secret.size());
  return key;
}

}  // namespace marquee
