#include "app/personal_data.hpp"

#include <spdlog/spdlog.h>

namespace marquee {

void audit_erasure(Store& store, const AuditEntry& entry) {
  try {
    store.audit(entry);
  } catch (const std::exception& e) {
    spdlog::warn("{} {}: done, but the audit entry could not be stored: {}", entry.action, entry.target, e.what());
  }
}

bool erase_personal_data(Store& store, const Clock& clock, std::int64_t id, const std::string& actor) {
  if (!store.erase_registration(id, clock.now(), actor)) return false;
  audit_erasure(store, AuditEntry{0, clock.now(), actor, "erase", "registration " + std::to_string(id), "", ""});
  return true;
}

std::int64_t purge_expired_personal_data(Store& store, const Clock& clock, const std::string& actor) {
  const std::int64_t n = store.purge_expired_registrations(clock.now());
  if (n > 0)
    audit_erasure(store, AuditEntry{0, clock.now(), actor, "retention", "registrations", "",
                                    std::to_string(n) + " erased past their retention period"});
  return n;
}

}  // namespace marquee
