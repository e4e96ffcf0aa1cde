#pragma once
// Deleting events from the working state (not drafting or cancelling them):
// refused for an event with registrations, audited with the whole event so
// that it can be put back from its audit entry. Also the demo programme's
// removal. Console, API and CLI call these; nothing else deletes events.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Thrown by restore_deleted_event with the reason it cannot.
class RestoreRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Deletes `keys` in one transaction (store: Store::delete_events); each
/// deleted event gets an audit entry "delete_event", target "event KEY",
/// `before` the event as one snapshot line (docs/snapshot-format.md).
/// Publishing afterwards removes the public ones. Throws StoreError.
Store::DeleteOutcome delete_events(Store& store, const Clock& clock, const std::vector<std::string>& keys,
                                   const std::string& actor);

/// Puts back the event deleted by audit entry `audit_id` (content as it was,
/// a new version), audited "restore_event". Throws RestoreRefused when the
/// entry is not a deletion or an event with that key exists again; StoreError.
Event restore_deleted_event(Store& store, const Clock& clock, std::int64_t audit_id, const std::string& actor);

/// Keys of the bundled demo programme's events still in the store (imported
/// from "programme.csv" by the first start, keys "hl27-…").
std::vector<std::string> demo_event_keys(Store& store);

/// Deletes every demo event (delete_events) and writes one audit entry
/// "remove_demo" with the counts. Events with registrations stay (refused).
Store::DeleteOutcome remove_demo_programme(Store& store, const Clock& clock, const std::string& actor);

}  // namespace marquee
