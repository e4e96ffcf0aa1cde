#pragma once
#include "adapters/backup/backup_key.hpp"
// Scheduled jobs for an external scheduler and the audit log for operators.
#include <string>

#include "adapters/web/router.hpp"
#include "app/publisher.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class OperationsApi {
 public:
  /// `backup_key`: encrypts scheduled backups (null: plain).
  OperationsApi(Store& store, Publisher& publisher, const Clock& clock, std::string backup_dir, int backup_keep,
                const BackupKey* backup_key = nullptr);

  /// POST /api/v1/cron/{job}          cron secret only; job = backup | retention | publish
  ///                                  (404 for another job, 409 backup without --backup-dir)
  /// GET  /api/v1/admin/audit         staff (view): the newest 500 entries, JSON
  /// GET  /api/v1/admin/audit.csv     staff (view): the whole log as CSV
  void add_routes(Router& router);

 private:
  Response cron(const Request& req, const std::string& job);
  Response audit(const Request& req, bool csv);

  Store& store_;
  Publisher& publisher_;
  const Clock& clock_;
  std::string backup_dir_;
  int backup_keep_;
  const BackupKey* backup_key_;
};

}  // namespace marquee
