#include "app/backups.hpp"

#include <sodium.h>

#include <algorithm>
#include <filesystem>

#include "adapters/backup/backup_file.hpp"
#include "core/time_zone.hpp"
#include "app/programme_cache.hpp"
#include "app/snapshot_codec.hpp"

namespace marquee {
namespace fs = std::filesystem;

namespace {
constexpr const char* kPrefix = "marquee-backup-";
constexpr const char* kSuffix = ".jsonl.gz";
constexpr const char* kEncryptedSuffix = ".jsonl.gz.enc";

std::optional<UnixSeconds> time_from_name(const std::string& name) {
  // marquee-backup-YYYYMMDDTHHMMSSZ-XXXXXX.jsonl.gz
  if (!name.starts_with(kPrefix) || !(name.ends_with(kSuffix) || name.ends_with(kEncryptedSuffix)) || name.size() < 31)
    return std::nullopt;
  const std::string t = name.substr(15, 16);
  DateTimeText d;
  try {
    d.year = std::stoi(t.substr(0, 4));
    d.month = std::stoi(t.substr(4, 2));
    d.day = std::stoi(t.substr(6, 2));
    d.hour = std::stoi(t.substr(9, 2));
    d.minute = std::stoi(t.substr(11, 2));
    d.second = std::stoi(t.substr(13, 2));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  d.has_time = true;
  d.offset_minutes = 0;
  return to_utc(d, "UTC");
}
}  // namespace

std::vector<BackupInfo> list_backups(const std::string& dir) {
  std::vector<BackupInfo> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    auto t = time_from_name(name);
    if (!t || !entry.is_regular_file()) continue;
    out.push_back(BackupInfo{entry.path().string(), *t, entry.file_size()});
  }
  std::sort(out.begin(), out.end(), [](const BackupInfo& a, const BackupInfo& b) { return a.path > b.path; });
  return out;
}

BackupInfo take_backup(Store& store, const std::string& dir, const Clock& clock, int keep, const BackupKey* key) {
  fs::create_directories(dir);
  const UnixSeconds now = clock.now();
  const LocalTime t = to_local(now, "UTC");
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  unsigned char rnd[3];
  randombytes_buf(rnd, sizeof rnd);
  char hex[7];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  const std::string path = (fs::path(dir) / (std::string(kPrefix) + stamp + "-" + hex + (key ? kEncryptedSuffix : kSuffix))).string();

  BackupHeader header;
  header.created_at = now;
  header.schema_version = store.schema_version();
  header.source_backend = "store";
  const auto tables = store.dump_tables();
  const auto size = write_backup(path, header, tables, key);

  // Retention, and temporary files left by an interrupted backup.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(std::string(".") + kPrefix) && name.ends_with(".tmp") &&
        entry.path() != fs::path(path))
      fs::remove(entry.path(), ec);
  }
  if (keep > 0) {
    auto all = list_backups(dir);
    for (std::size_t i = static_cast<std::size_t>(keep); i < all.size(); ++i) fs::remove(all[i].path, ec);
  }
  return BackupInfo{path, now, size};
}

void restore_backup(Store& store, const std::string& path, const BackupKey* key) {
  BackupHeader header;
  const auto tables = read_backup(path, &header, key);  // verified completely before anything is touched
  store.migrate();
  if (header.schema_version > store.schema_version())
    throw BackupError(path + ": made by a newer Marquee (schema " + std::to_string(header.schema_version) +
                      ", this one has " + std::to_string(store.schema_version()) + ")");
  store.restore_tables(tables);
}

std::optional<ProgrammePtr> programme_from_backup(const std::string& path, const BackupKey* key) {
  BackupHeader header;
  const auto tables = read_backup(path, &header, key);
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
