#pragma once
// The backup-archive port over a folder of backup files (backup_file.hpp):
// names carry the UTC time they were taken and six random hex digits.
#include <string>

#include "ports/backup_archive.hpp"

namespace marquee {

class BackupFolder final : public BackupArchive {
 public:
  /// `dir` is created by the first write.
  explicit BackupFolder(std::string dir) : dir_(std::move(dir)) {}

  BackupInfo write(const BackupHeader& header, const std::vector<TableDump>& tables, const BackupKey* key) override;
  std::vector<BackupInfo> list() const override;
  std::vector<TableDump> read(const std::string& path, BackupHeader* header, const BackupKey* key) const override;
  void prune(int keep, const std::string& current) override;

 private:
  std::string dir_;
};

}  // namespace marquee
