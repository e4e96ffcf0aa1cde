#include "app/scheduled_jobs.hpp"

#include "app/personal_data.hpp"

namespace marquee {

JobResult ScheduledJobs::run(const std::string& job, const std::string& actor) {
  JobResult r;
  if (job == "backup") {
    if (!backups_) {
      r.status = JobStatus::no_backups;
      return r;
    }
    r.backup = backups_->take(actor).info;
  } else if (job == "retention") {
    r.erased = purge_expired_personal_data(store_, clock_, actor);
  } else if (job == "publish") {
    r.publish = publisher_.publish("cron", "scheduled publish");
  } else {
    r.status = JobStatus::unknown_job;
    return r;
  }
  store_.audit(AuditEntry{0, clock_.now(), actor, "cron_" + job, "", "", ""});
  return r;
}

}  // namespace marquee
