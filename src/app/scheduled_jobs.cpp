#include "app/scheduled_jobs.hpp"

#include "app/agenda_alerts.hpp"
#include "app/agendas.hpp"

#include "app/analytics_recorder.hpp"
#include "app/personal_data.hpp"
#include "app/programme_cache.hpp"
#include "app/attendee_messages.hpp"
#include "app/place_offers.hpp"
#include "app/reconfirmations.hpp"
#include "app/reminders.hpp"

namespace marquee {

JobResult ScheduledJobs::run(const std::string& job, const std::string& actor) {
  JobResult r;
  bool recorded = false;  // the move wrote its own audit entry
  if (job == "backup") {
    if (!backups_) {
      r.status = JobStatus::no_backups;
      return r;
    }
    r.backup = backups_->take(actor).info;
    recorded = true;
  } else if (job == "retention") {
    r.erased = purge_expired_personal_data(store_, clock_, actor);
    purge_expired_alerts(store_, clock_, actor);  // agenda alert addresses (audited as "retention" when any)
    AgendaService(store_, clock_).purge();  // agendas unused for over a year (no personal data, so not counted as erased)
    recorded = *r.erased > 0;
    if (analytics_zone_) roll_up_analytics(store_, clock_, analytics_zone_());
  } else if (job == "reminders") {
    r.reminders = Reminders(store_, clock_).enqueue(build_programme(publisher_.live_events(), 0)->entries());
    recorded = true;  // runs every few minutes: no audit entry per run
  } else if (job == "offers") {
    r.offers_expired = WaitingListOffers(store_, clock_).expire();
    recorded = true;  // runs every few minutes; each expiry is in the registration's history
  } else if (job == "reconfirm") {
    const ReconfirmRun run = Reconfirmations(store_, clock_).run();
    r.reconfirm_asked = run.asked;
    r.reconfirm_released = run.released;
    recorded = true;  // runs every few minutes; each ask and release is in the registration's history
  } else if (job == "messages") {
    r.messages_sent = AttendeeMessages(store_, clock_, analytics_zone_).send_due();
    recorded = true;  // each message sent is audited ("message_send")
  } else if (job == "publish") {
    r.publish = publisher_.publish("cron", "scheduled publish");
    recorded = !r.publish->unchanged;
  } else {
    r.status = JobStatus::unknown_job;
    return r;
  }
  if (!recorded) store_.audit(AuditEntry{0, clock_.now(), actor, "cron_" + job, "", "", "nothing to do"});
  return r;
}

}  // namespace marquee
