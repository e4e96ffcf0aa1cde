#include "app/personal_data.hpp"

namespace marquee {

bool erase_personal_data(Store& store, const Clock& clock, std::int64_t id, const std::string& actor) {
  if (!store.erase_registration(id, clock.now(), actor)) return false;
  store.audit(AuditEntry{0, clock.now(), actor, "erase", "registration " + std::to_string(id), "", ""});
  return true;
}

std::int64_t purge_expired_personal_data(Store& store, const Clock& clock, const std::string& actor) {
  const std::int64_t n = store.purge_expired_registrations(clock.now());
  if (n > 0)
    store.audit(AuditEntry{0, clock.now(), actor, "retention", "registrations", "",
                           std::to_string(n) + " erased past their retention period"});
  return n;
}

}  // namespace marquee
