#pragma once
// The jobs an external scheduler runs (POST /api/v1/cron/{job}). Each call
// leaves exactly one audit entry as the scheduler's actor: the move's own
// ("backup", "retention", "publish"), or "cron_<job>" ("nothing to do") when
// the move changed nothing (no personal data past retention, nothing to
// publish).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/backups.hpp"
#include "app/publisher.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

enum class JobStatus {
  done,
  unknown_job,  ///< not backup, retention, publish, reminders, offers, reconfirm or messages
  no_backups,   ///< backup asked of a server without a backup folder
};

struct JobResult {
  JobStatus status = JobStatus::done;
  std::optional<BackupInfo> backup;    ///< backup: the file written
  std::optional<std::int64_t> erased;  ///< retention: registrations whose personal data was erased
  std::optional<PublishResult> publish;  ///< publish: the snapshot (or unchanged)
  std::optional<std::int64_t> reminders;  ///< reminders: outbox rows written
  std::optional<std::int64_t> offers_expired;  ///< offers: waiting-list offers expired (their places offered on)
  std::optional<std::int64_t> messages_sent;   ///< messages: scheduled attendee messages sent (their rows written)
  std::optional<std::int64_t> reconfirm_asked;     ///< reconfirm: attendees asked "Still coming?"
  std::optional<std::int64_t> reconfirm_released;  ///< reconfirm: unanswered places released
};

class ScheduledJobs {
 public:
  /// `backups` nullptr: the server keeps no backups.
  ScheduledJobs(Store& store, Publisher& publisher, const Clock& clock, Backups* backups)
      : store_(store), publisher_(publisher), clock_(clock), backups_(backups) {}

  /// Runs `job` ("backup", "retention", "publish", "reminders", "offers":
  /// expire waiting-list offers and offer their places on, or "messages":
  /// send the scheduled attendee messages due, or "reconfirm": ask "Still
/// coming?" and release unanswered places) as `actor`. Retention
  /// also rolls up and deletes old analytics visitor ids and salts (when an
  /// analytics zone is set). Throws StoreError, BackupError (then nothing is
  /// audited).
  JobResult run(const std::string& job, const std::string& actor);

  /// The zone whose local days analytics uses (app/analytics_recorder's
  /// roll_up_analytics); unset: retention leaves analytics alone.
  void set_analytics_zone(std::function<std::string()> zone) { analytics_zone_ = std::move(zone); }

 private:
  Store& store_;
  Publisher& publisher_;
  const Clock& clock_;
  Backups* backups_;
  std::function<std::string()> analytics_zone_;
};

}  // namespace marquee
