#pragma once
// Backups as operational moves: take one (with retention), restore one, each
// with its audit entry, for the console, the JSON API, the CLI and the
// scheduler alike; list them and read the programme a backup holds (the
// source chain's second source). The files are behind ports/backup_archive.
#include <optional>
#include <string>
#include <vector>

#include "core/programme.hpp"
#include "ports/backup_archive.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct BackupPolicy {
  int keep = 0;                   ///< backups kept after a take (<= 0: all)
  const BackupKey* key = nullptr;  ///< encrypts new backups and opens encrypted ones (nullptr: plain)
};

/// A backup taken: the file, and the audit entry's error when the entry
/// could not be stored (the backup is complete and synced all the same).
struct BackupTaken {
  BackupInfo info;
  std::string audit_error;
};

class Backups {
 public:
  Backups(Store& store, BackupArchive& archive, const Clock& clock, BackupPolicy policy)
      : store_(store), archive_(archive), clock_(clock), policy_(policy) {}

  /// Writes a backup of the whole store (one consistent state that never
  /// blocks reads or writes), prunes to `keep`, and audits "backup" as
  /// `actor` (target the file's name, detail its size). Throws StoreError,
  /// BackupError or std::runtime_error (I/O): then no backup was added.
  BackupTaken take(const std::string& actor);

  /// The same for the scheduler (--backup-interval): logged by the caller,
  /// not audited (one an hour would push the operators' entries off the
  /// dashboard's recent activity). Throws like take().
  BackupInfo take_scheduled();

  /// Verifies the whole file at `path` first, then replaces the store's
  /// content in one transaction (migrating the store first) and audits
  /// "restore" as `actor` into the restored store; returns the audit entry's
  /// error ("" when stored: the restore is complete either way). A bad file,
  /// a missing or wrong key, or a backup of a newer schema throws BackupError
  /// and leaves the store as it was.
  std::string restore(const std::string& path, const std::string& actor);

  /// True when new backups are encrypted (a key was given).
  bool encrypted() const { return policy_.key != nullptr; }

  /// The backups, newest first.
  std::vector<BackupInfo> list() const { return archive_.list(); }
  /// The backup whose file name (no folder) is `name`; nullopt for any other name.
  std::optional<BackupInfo> find(const std::string& name) const;
  /// find(name), audited "backup_download" as `actor` when found (a backup
  /// holds every attendee's personal data). Throws StoreError.
  std::optional<BackupInfo> find_for_download(const std::string& name, const std::string& actor);

  /// The live snapshot held by the backup at `path`, as a programme; nullopt
  /// when it has none. Throws BackupError for a bad file.
  std::optional<ProgrammePtr> programme_of(const std::string& path) const;

 private:
  Store& store_;
  BackupArchive& archive_;
  const Clock& clock_;
  BackupPolicy policy_;
};

}  // namespace marquee
