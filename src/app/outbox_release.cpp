#include "app/outbox_release.hpp"

namespace marquee {

std::int64_t release_outbox_now(Store& store, const Clock& clock, const std::string& actor) {
  const UnixSeconds now = clock.now();
  const std::int64_t n = store.make_outbox_due(now);
  store.audit(AuditEntry{0, now, actor, "notification_send_now", "outbox", "", std::to_string(n) + " messages due now"});
  return n;
}

bool retry_notification(Store& store, const Clock& clock, std::int64_t id, const std::string& actor) {
  if (!store.retry_outbox(id, clock.now())) return false;
  store.audit(AuditEntry{0, clock.now(), actor, "notification_retry", "outbox " + std::to_string(id), "failed", "pending"});
  return true;
}

}  // namespace marquee
