#pragma once
// Backups: take one (with retention), list them, restore one, and read the
// programme a backup holds (the source chain's second source).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/backup/backup_key.hpp"
#include "core/programme.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct BackupInfo {
  std::string path;
  UnixSeconds created_at = 0;  ///< from the file name (UTC)
  std::uint64_t size = 0;      ///< bytes
};

/// Writes a backup of `store` into `dir` (created when missing) named
/// marquee-backup-YYYYMMDDTHHMMSSZ-XXXXXX.jsonl.gz (.jsonl.gz.enc, encrypted,
/// when `key` is given), then deletes all but the newest `keep` backups
/// (keep <= 0: delete none) and stale temporary files. A backup reads one
/// consistent state and never blocks reads or writes. Throws StoreError or
/// BackupError.
BackupInfo take_backup(Store& store, const std::string& dir, const Clock& clock, int keep,
                       const BackupKey* key = nullptr);

/// Backups in `dir`, newest first (empty when the folder does not exist).
std::vector<BackupInfo> list_backups(const std::string& dir);

/// Verifies the whole file first, then replaces the store's content in one
/// transaction (migrating the store first). A bad file throws BackupError and
/// leaves the store as it was.
/// An encrypted backup needs its `key` (else BackupError).
void restore_backup(Store& store, const std::string& path, const BackupKey* key = nullptr);

/// The live snapshot held by a backup, as a programme; nullopt when the
/// backup has none. Throws BackupError for a bad file.
std::optional<ProgrammePtr> programme_from_backup(const std::string& path, const BackupKey* key = nullptr);

}  // namespace marquee
