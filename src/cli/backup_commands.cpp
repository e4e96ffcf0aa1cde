#include "cli/backup_commands.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "adapters/backup/backup_folder.hpp"
#include "adapters/backup/backup_key.hpp"
#include "app/backups.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

struct Args {
  std::string dir;
  int keep = 0;
  std::string key_file;
  std::string file;
};

// The key in --backup-key-file, or none when it is not given.
std::optional<BackupKey> key_of(const Args& a) {
  std::optional<BackupKey> key;
  if (!a.key_file.empty()) key = load_backup_key(a.key_file);
  return key;
}

int backup(Store& store, const Clock& clock, const Args& a) {
  const std::optional<BackupKey> key = key_of(a);
  if (!key)
    std::cerr << "marquee: warning: the backup is not encrypted (it holds password hashes, the installation "
                 "secret and personal data); pass --backup-key-file\n";
  BackupFolder folder(a.dir);
  const auto b = Backups(store, folder, clock, BackupPolicy{a.keep, key ? &*key : nullptr}).take("cli");
  // The backup is complete and synced. An audit entry that could not be
  // stored (a full store disk) is a separate warning.
  std::cout << b.info.path << " (" << b.info.size << " bytes)\n" << std::flush;
  if (!b.audit_error.empty())
    std::cerr << "marquee: the backup was written, but its audit entry could not be stored: " << b.audit_error << "\n";
  return 0;
}

int restore(Store& store, const Clock& clock, const Args& a) {
  std::string audit_error;
  try {
    const std::optional<BackupKey> key = key_of(a);
    BackupFolder folder(std::filesystem::path(a.file).parent_path().string());
    audit_error = Backups(store, folder, clock, BackupPolicy{0, key ? &*key : nullptr}).restore(a.file, "cli");
  } catch (const BackupError& e) {
    std::cerr << "marquee: backup refused, the store is unchanged: " << e.what() << "\n";
    return 2;
  }
  if (!audit_error.empty())
    std::cerr << "marquee: the restore is complete, but its audit entry could not be stored: " << audit_error << "\n";
  std::cout << "restored " << a.file << "; live snapshot "
            << (store.live_snapshot_number() ? std::to_string(*store.live_snapshot_number()) : "none") << "\n";
  return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<Args>();
  auto* backup_cmd = app.add_subcommand("backup", "Write a portable backup file of the whole store");
  ctx.add_db(backup_cmd);
  backup_cmd->add_option("--backup-dir", a->dir, "Folder for backup files")->required();
  backup_cmd->add_option("--keep", a->keep, "Keep only the newest N backups (0 = all)")->capture_default_str();
  backup_cmd->add_option("--backup-key-file", a->key_file, "Encrypt the backup with the secret in this file");
  ctx.when_parsed_with_store(backup_cmd, [a](Store& store, const Clock& clock) { return backup(store, clock, *a); });

  auto* restore_cmd = app.add_subcommand("restore", "Verify a backup file, then replace the store's content with it");
  ctx.add_db(restore_cmd);
  restore_cmd->add_option("FILE", a->file, "Backup file")->required();
  restore_cmd->add_option("--backup-key-file", a->key_file, "The secret that encrypted the backup");
  ctx.when_parsed_with_store(restore_cmd, [a](Store& store, const Clock& clock) { return restore(store, clock, *a); });
}

}  // namespace marquee
