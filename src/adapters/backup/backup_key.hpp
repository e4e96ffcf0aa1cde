#pragma once
// Loading the key that encrypts backups at rest (--backup-key-file).
#include <string>

#include "ports/backup_archive.hpp"

namespace marquee {

/// Reads the secret in `path` (its first line, trimmed; at least 32
/// characters, e.g. `head -c 32 /dev/urandom | base64`) and derives the key
/// with BLAKE2b (libsodium crypto_generichash) under a fixed context, so the
/// same file always gives the same key. Throws BackupError naming the file
/// when it cannot be read or the secret is too short.
BackupKey load_backup_key(const std::string& path);

}  // namespace marquee
