#pragma once
// The backup-archive port: a folder of backup files of the whole store
// (docs/backup-format.md), written, listed, read back and pruned. The files
// are adapters/backup's business; the moves (take, restore, with their audit
// entries) are app/backups.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "ports/backup_store.hpp"

namespace marquee {

/// A backup file that cannot be used; what() says why (bad checksum,
/// truncated, not a Marquee backup, newer format, wrong or missing key).
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The key that encrypts backups at rest (--backup-key-file): backups hold
/// password hashes, the installation secret that unseals every personal link,
/// and all personal data.
struct BackupKey {
  std::array<unsigned char, 32> bytes{};  ///< XChaCha20-Poly1305 key
};

struct BackupHeader {
  int format_version = 1;
  UnixSeconds created_at = 0;
  int schema_version = 0;
  std::string source_backend;  ///< "sqlite" or "postgres"
};

struct BackupInfo {
  std::string path;
  UnixSeconds created_at = 0;  ///< from the file name (UTC seconds)
  std::uint64_t size = 0;      ///< bytes
};

class BackupArchive {
 public:
  virtual ~BackupArchive() = default;
  /// Writes `tables` as a new backup named after `header.created_at`
  /// (marquee-backup-YYYYMMDDTHHMMSSZ-XXXXXX.jsonl.gz, .enc when encrypted
  /// with `key`), complete and synced or absent. Throws BackupError or
  /// std::runtime_error (I/O).
  virtual BackupInfo write(const BackupHeader& header, const std::vector<TableDump>& tables, const BackupKey* key) = 0;
  /// The backups, newest first (empty when the folder does not exist).
  virtual std::vector<BackupInfo> list() const = 0;
  /// Reads and verifies the whole file at `path` (any path, not only in the
  /// folder). Throws BackupError for a bad file or key.
  virtual std::vector<TableDump> read(const std::string& path, BackupHeader* header, const BackupKey* key) const = 0;
  /// Deletes all but the newest `keep` backups (keep <= 0: none) and the
  /// temporary files an interrupted write left, except `current`.
  virtual void prune(int keep, const std::string& current) = 0;
};

}  // namespace marquee
