#pragma once
// Scheduled jobs for an external scheduler and the audit log for operators.
#include <string>

#include "adapters/http/router.hpp"
#include "app/scheduled_jobs.hpp"
#include "ports/clock.hpp"
#include "ports/account_store.hpp"

namespace marquee {

class OperationsApi {
 public:
  /// `jobs`: what the scheduler may run; `audit_log`: read for the audit log.
  OperationsApi(ScheduledJobs& jobs, AccountStore& audit_log) : jobs_(jobs), audit_log_(audit_log) {}

  /// POST /api/v1/cron/{job}          cron secret only; job = backup | retention | publish | reminders
  ///                                  (404 for another job, 409 backup without --backup-dir)
  /// GET  /api/v1/admin/audit         staff (view): the newest 500 entries, JSON
  /// GET  /api/v1/admin/audit.csv     staff (view): the whole log as CSV
  void add_routes(Router& router);

 private:
  Response cron(const Request& req, const std::string& job);
  Response audit(const Request& req, bool csv);

  ScheduledJobs& jobs_;
  AccountStore& audit_log_;
};

}  // namespace marquee
