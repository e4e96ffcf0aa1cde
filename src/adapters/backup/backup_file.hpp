#pragma once
// The portable backup file (docs/backup-format.md): gzip-compressed JSON
// Lines with a header, each table's column list, rows as JSON arrays, a
// per-table trailer with row count and SHA-256, and a final manifest whose
// SHA-256 covers every line before it. Written to a temporary name, synced,
// then renamed: a file is complete or absent.
#include <string>
#include <vector>

#include "ports/backup_archive.hpp"

namespace marquee {

/// Writes `tables` to `path` atomically (temporary file in the same folder,
/// mode 0600, fsync, rename, fsync of the folder). With `key`, the gzip
/// stream is encrypted with libsodium secretstream (XChaCha20-Poly1305,
/// docs/backup-format.md); its plain text is never written to disk. Returns
/// the file size in bytes. Throws BackupError on I/O failure (no file is
/// left at `path`).
std::uint64_t write_backup(const std::string& path, const BackupHeader& header, const std::vector<TableDump>& tables,
                           const BackupKey* key = nullptr);

/// Reads and verifies a whole backup (decryption and every chunk's tag for an
/// encrypted one, every checksum, the end manifest). Throws BackupError
/// naming the problem (an encrypted file without `key`, a wrong key,
/// truncation, a checksum); nothing is returned unless all is intact.
std::vector<TableDump> read_backup(const std::string& path, BackupHeader* header, const BackupKey* key = nullptr);

/// True when the file at `path` is an encrypted backup.
bool is_encrypted_backup(const std::string& path);

}  // namespace marquee
