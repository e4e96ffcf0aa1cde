#include "app/backups.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "app/programme_cache.hpp"
#include "app/snapshot_codec.hpp"

namespace marquee {
namespace {

// "marquee-backup-….jsonl.gz" for a backup's path: how the console, the audit log and find() name it.
std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

}  // namespace

BackupInfo Backups::take_scheduled() {
  BackupHeader header;
  header.created_at = clock_.now();
  header.schema_version = store_.schema_version();
  header.source_backend = "store";
  BackupInfo info = archive_.write(header, store_.dump_tables(), policy_.key);
  archive_.prune(policy_.keep, info.path);
  return info;
}

BackupTaken Backups::take(const std::string& actor) {
  BackupTaken taken;
  taken.info = take_scheduled();
  try {
    store_.audit(AuditEntry{0, clock_.now(), actor, "backup", file_name(taken.info.path), "",
                            std::to_string(taken.info.size) + " bytes"});
  } catch (const std::exception& e) {
    taken.audit_error = e.what();
    spdlog::warn("backup {} was written, but its audit entry could not be stored: {}", taken.info.path, e.what());
  }
  return taken;
}

std::string Backups::restore(const std::string& path, const std::string& actor) {
  BackupHeader header;
  const auto tables = archive_.read(path, &header, policy_.key);  // verified completely before anything is touched
  store_.migrate();
  if (header.schema_version > store_.schema_version())
    throw BackupError(path + ": made by a newer Marquee (schema " + std::to_string(header.schema_version) +
                      ", this one has " + std::to_string(store_.schema_version()) + ")");
  store_.restore_tables(tables);
  try {
    store_.audit(AuditEntry{0, clock_.now(), actor, "restore", file_name(path), "", ""});
  } catch (const std::exception& e) {
    spdlog::warn("{} was restored, but its audit entry could not be stored: {}", path, e.what());
    return e.what();
  }
  return "";
}

std::optional<BackupInfo> Backups::find(const std::string& name) const {
  for (const auto& b : archive_.list())
    if (file_name(b.path) == name) return b;
  return std::nullopt;
}

std::optional<BackupInfo> Backups::find_for_download(const std::string& name, const std::string& actor) {
  auto b = find(name);
  if (b) store_.audit(AuditEntry{0, clock_.now(), actor, "backup_download", name, "", ""});
  return b;
}

std::optional<ProgrammePtr> Backups::programme_of(const std::string& path) const {
  BackupHeader header;
  const auto tables = archive_.read(path, &header, policy_.key);
  std::optional<std::string> live;
  for (const auto& t : tables)
    if (t.name == "live_snapshot" && !t.rows.empty()) live = t.rows[0][1];
  if (!live) return std::nullopt;
  for (const auto& t : tables) {
    if (t.name != "snapshots") continue;
    const auto number_col = std::find(t.columns.begin(), t.columns.end(), "number") - t.columns.begin();
    const auto payload_col = std::find(t.columns.begin(), t.columns.end(), "payload") - t.columns.begin();
    for (const auto& row : t.rows)
      if (row[number_col] == live)
        return build_programme(decode_snapshot(row[payload_col].value_or("")), std::stoll(*live));
  }
  return std::nullopt;
}

}  // namespace marquee
