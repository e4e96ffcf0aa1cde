#pragma once
// Check-in lists and door scans in the store (issue 19;
// migrations/<backend>/0011_checkin_lists.sql). The gate rules are
// core/checkin_rules.hpp; the store applies them inside the transaction that
// records each scan.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkin_rules.hpp"
#include "ports/placement_store.hpp"

namespace marquee {

/// A check-in list: a gate's name, the events it admits and its rules.
struct CheckinList {
  std::int64_t id = 0;
  std::string name;                       ///< "Speicherhalle main door"
  std::vector<std::string> event_keys;    ///< sorted; events the list admits
  bool allow_reentry = false;
  std::optional<UnixSeconds> opens_at;    ///< UTC seconds
  std::optional<UnixSeconds> closes_at;   ///< UTC seconds
  std::optional<std::int64_t> room_capacity;  ///< people the room holds (for the alarm), none = no alarm
  int alarm_percent = 90;                 ///< occupancy ≥ this share of room_capacity is an alarm
  /// Door users assigned to the list (e-mail addresses, sorted). A door user
  /// assigned to any list may scan only at their lists; one assigned to none
  /// may choose among all (migrations/<backend>/0012_checkin_list_users.sql).
  std::vector<std::string> door_users;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  CheckinListRules rules() const;
};

/// One scan as a device sends it (normalised ticket code).
struct ScanRequest {
  std::string device;       ///< the device's id, chosen by the device (1–100 characters)
  std::string scan_id;      ///< unique per device (1–100 characters): the idempotency key with `device`
  std::string code;         ///< the ticket code, normalised (normalize_ticket_code)
  ScanDirection direction = ScanDirection::entry;
  UnixSeconds at = 0;       ///< when the device scanned (UTC seconds)
  bool decided_offline = false;
};

/// What a scan did, as recorded.
struct ScanResult {
  std::string device;
  std::string scan_id;
  ScanOutcome outcome = ScanOutcome::refused;
  ScanRefusal refusal = ScanRefusal::none;
  bool replayed = false;          ///< the same device and scan id came before: this is that answer
  bool flagged = false;           ///< a duplicate for the console to look at
  std::optional<std::int64_t> registration_id;
  std::string attendee_name;      ///< "" when unknown or erased
  std::string event_key;
  Presence presence;              ///< the ticket's presence after the scan (when and where it entered)
};

/// A list's figures now.
struct CheckinStatus {
  std::int64_t inside = 0;        ///< entries − exits
  std::int64_t entries = 0;
  std::int64_t exits = 0;
  std::int64_t duplicates = 0;    ///< flagged duplicates from offline devices
  /// People inside by venue (of the list's events), venue name → count, by name.
  std::vector<std::pair<std::string, std::int64_t>> venues;
};

/// A recorded scan, as the console lists it.
struct ScanRecord {
  std::int64_t id = 0;
  std::string device;
  std::string scan_id;
  std::string code;                       ///< normalised, as received
  std::optional<std::int64_t> registration_id;
  std::string attendee_name;              ///< "" when unknown or erased
  std::string event_key;                  ///< "" when the code is unknown
  ScanDirection direction = ScanDirection::entry;
  UnixSeconds scanned_at = 0;             ///< device time, UTC seconds
  UnixSeconds received_at = 0;            ///< server time, UTC seconds
  bool decided_offline = false;
  ScanOutcome outcome = ScanOutcome::refused;
  ScanRefusal refusal = ScanRefusal::none;
  bool flagged = false;
};

/// A ticket a list admits, for the printable door list and for door devices
/// that check codes offline: the minimum to check a code and greet a person.
struct DoorTicket {
  std::int64_t registration_id = 0;
  std::string ticket_code;
  std::string name;
  std::string event_key;
  AttendeeState state = AttendeeState::confirmed;
  Presence presence;                      ///< at this list
  bool passed_on = false;                 ///< an old code of a transferred registration (state cancelled): refused
};

class CheckinStore {
 public:
  virtual ~CheckinStore() = default;

  /// Adds a list with its events and a zero occupancy, and writes the audit
  /// entry, in one transaction. Returns its id. Throws StoreError.
  virtual std::int64_t add_checkin_list(const CheckinList& list, const ChangeBy& by) = 0;
  /// Replaces a list's name, events, rules and door users (occupancy and
  /// presence stay) and writes the audit entry (`checkin_list_update`), in
  /// one transaction. `list.door_users` must name existing users. Returns
  /// false for an unknown list. Throws StoreError.
  virtual bool update_checkin_list(const CheckinList& list, const ChangeBy& by) = 0;
  /// Every list, by id, with its events and door users.
  virtual std::vector<CheckinList> list_checkin_lists() = 0;
  virtual std::optional<CheckinList> find_checkin_list(std::int64_t id) = 0;

  /// Records `scans` at list `list_id` in ONE transaction, in order, each
  /// decided by decide_scan against the ticket and its presence as the
  /// earlier scans left them. A (device, scan_id) seen before is not applied
  /// again: its first answer comes back with `replayed`. `now`: when the
  /// server received them. The list's occupancy row is locked first, so the
  /// scans of one list are applied one transaction at a time on every
  /// instance. Throws StoreError (nothing of the batch is recorded) and
  /// std::invalid_argument for an unknown list.
  virtual std::vector<ScanResult> record_scans(std::int64_t list_id, const std::vector<ScanRequest>& scans,
                                               UnixSeconds now) = 0;

  /// The list's occupancy and its people inside by venue. Throws
  /// std::invalid_argument for an unknown list.
  virtual CheckinStatus checkin_status(std::int64_t list_id) = 0;

  /// The list's scans, newest first, at most `limit`; only the flagged ones
  /// (duplicates from offline devices) when `flagged_only`. Unknown lists
  /// have none.
  virtual std::vector<ScanRecord> checkin_scans(std::int64_t list_id, bool flagged_only, std::size_t limit) = 0;

  /// Every registration of the list's events that is not erased (any state),
  /// by name then ticket code, with its presence at the list; then every
  /// ticket code given up in a transfer (passed_on, state cancelled) so that
  /// door devices refuse it. Unknown lists have none.
  virtual std::vector<DoorTicket> door_tickets(std::int64_t list_id) = 0;
};

}  // namespace marquee
