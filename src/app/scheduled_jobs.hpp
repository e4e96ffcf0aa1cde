#pragma once
// The jobs an external scheduler runs (POST /api/v1/cron/{job}). Each call
// leaves exactly one audit entry as the scheduler's actor: the move's own
// ("backup", "retention", "publish"), or "cron_<job>" ("nothing to do") when
// the move changed nothing (no personal data past retention, nothing to
// publish).
#include <cstdint>
#include <optional>
#include <string>

#include "app/backups.hpp"
#include "app/publisher.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

enum class JobStatus {
  done,
  unknown_job,  ///< not backup, retention or publish
  no_backups,   ///< backup asked of a server without a backup folder
};

struct JobResult {
  JobStatus status = JobStatus::done;
  std::optional<BackupInfo> backup;    ///< backup: the file written
  std::optional<std::int64_t> erased;  ///< retention: registrations whose personal data was erased
  std::optional<PublishResult> publish;  ///< publish: the snapshot (or unchanged)
};

class ScheduledJobs {
 public:
  /// `backups` nullptr: the server keeps no backups.
  ScheduledJobs(Store& store, Publisher& publisher, const Clock& clock, Backups* backups)
      : store_(store), publisher_(publisher), clock_(clock), backups_(backups) {}

  /// Runs `job` ("backup", "retention" or "publish") as `actor`. Throws
  /// StoreError, BackupError (then nothing is audited).
  JobResult run(const std::string& job, const std::string& actor);

 private:
  Store& store_;
  Publisher& publisher_;
  const Clock& clock_;
  Backups* backups_;
};

}  // namespace marquee
