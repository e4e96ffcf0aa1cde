#include "app/outbox_release.hpp"

namespace marquee {

std::int64_t release_outbox_now(Store& store, const Clock& clock, const std::string& actor) {
  const UnixSeconds now = clock.now();
  const std::int64_t n = store.make_outbox_due(now);
  store.audit(AuditEntry{0, now, actor, "notification_send_now", "outbox", "", std::to_string(n) + " messages due now"});
  return n;
}

}  // namespace marquee
