#pragma once
// Erasing attendees' personal data (GDPR Art. 17 erasure, and each event's
// retention period), as audited moves.
#include <cstdint>
#include <string>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Stores the audit entry of an erasure that has happened whatever becomes of
/// its entry: a failure to store it is logged (warning), never thrown.
void audit_erasure(Store& store, const AuditEntry& entry);

/// Erases registration `id`'s personal data (name, e-mail, answers; the place
/// and its history stay) and audits "erase" as `actor` (an entry that cannot
/// be stored is logged: the erasure stands); false (nothing written) when
/// there is no such registration. Throws StoreError when the erasure fails.
bool erase_personal_data(Store& store, const Clock& clock, std::int64_t id, const std::string& actor);

/// Erases the personal data of every registration past its event's retention
/// period; when any, audits "retention" as `actor` with the count (logged
/// when it cannot be stored). Returns the count. Throws StoreError.
std::int64_t purge_expired_personal_data(Store& store, const Clock& clock, const std::string& actor);

}  // namespace marquee
