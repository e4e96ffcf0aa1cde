#include "adapters/backup/backup_folder.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "adapters/backup/backup_file.hpp"
#include "core/time_zone.hpp"

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

std::vector<BackupInfo> BackupFolder::list() const {
  std::vector<BackupInfo> out;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    auto t = time_from_name(name);
    if (!t || !entry.is_regular_file()) continue;
    out.push_back(BackupInfo{entry.path().string(), *t, entry.file_size()});
  }
  std::sort(out.begin(), out.end(), [](const BackupInfo& a, const BackupInfo& b) { return a.path > b.path; });
  return out;
}

BackupInfo BackupFolder::write(const BackupHeader& header, const std::vector<TableDump>& tables, const BackupKey* key) {
  fs::create_directories(dir_);
  const LocalTime t = to_local(header.created_at, "UTC");
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  unsigned char rnd[3];
  randombytes_buf(rnd, sizeof rnd);
  char hex[7];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  const std::string path =
      (fs::path(dir_) / (std::string(kPrefix) + stamp + "-" + hex + (key ? kEncryptedSuffix : kSuffix))).string();
  const auto size = write_backup(path, header, tables, key);
  return BackupInfo{path, header.created_at, size};
}

std::vector<TableDump> BackupFolder::read(const std::string& path, BackupHeader* header, const BackupKey* key) const {
  return read_backup(path, header, key);
}

void BackupFolder::prune(int keep, const std::string& current) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(std::string(".") + kPrefix) && name.ends_with(".tmp") && entry.path() != fs::path(current))
      fs::remove(entry.path(), ec);
  }
  if (keep > 0) {
    auto all = list();
    for (std::size_t i = static_cast<std::size_t>(keep); i < all.size(); ++i) fs::remove(all[i].path, ec);
  }
}

}  // namespace marquee
