#pragma once
// The registration port: capacity-checked registrations, cancellations with
// waiting-list promotion, check-in, erasure. Every method is one transaction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/admission.hpp"
#include "core/registration.hpp"

namespace marquee {

struct RegisterOutcome {
  RegisterResult result = RegisterResult::full;
  Registration registration;  ///< set for confirmed, waitlisted and replayed
};

enum class CancelResult { cancelled, not_found, already_cancelled, checked_in };

struct CancelOutcome {
  CancelResult result = CancelResult::not_found;
  Registration registration;             ///< the registration after the call (when found)
  std::optional<Registration> promoted;  ///< the waitlisted attendee who got the freed place (automatic promotion)
};

enum class CheckinResult { checked_in, already_checked_in, not_found, not_confirmed, other_event };

struct CheckinOutcome {
  CheckinResult result = CheckinResult::not_found;
  Registration registration;  ///< when found; checked_in_at says when
};

/// Places of one event as the store counts them (checked-in attendees hold a place).
struct EventCounts {
  /// The place limit: the event's capacity plus its overbooking (core
  /// place_limit); nullopt = unlimited.
  std::optional<std::int64_t> capacity;
  std::int64_t confirmed = 0;
  std::int64_t waitlisted = 0;  ///< incl. those with an open offer
  std::int64_t offered = 0;     ///< places held by open offers (ports/offer_store.hpp)
  /// Places no one else can take: confirmed and held.
  std::int64_t taken() const { return confirmed + offered; }
};

/// What change_details did.
enum class DetailsResult {
  updated,    ///< saved, with a history line
  unchanged,  ///< the same name and answers as before
  not_found,  ///< no registration has this token
  closed,     ///< cancelled, checked in, erased, or the event cancelled or started
};

struct DetailsOutcome {
  DetailsResult result = DetailsResult::not_found;
  Registration registration;  ///< after the call (when found)
};

/// A place passed to another person, validated by the app (SelfService).
struct TransferRequest {
  std::string token_hash;        ///< the current holder's personal-token hash
  std::string name;              ///< the new holder
  std::string email;             ///< lower-cased, validated
  Answers answers;               ///< the new holder's answers, checked against the event's questions
  std::string new_token_hash;    ///< the new holder's personal token (hash, and sealed for their e-mail)
  std::string new_token_sealed;
  std::string new_ticket_code;   ///< a new ticket: the old one stops working at once
};

enum class TransferResult {
  transferred,      ///< the registration now belongs to the new holder; both are told
  not_found,        ///< no registration has this token
  not_allowed,      ///< the event does not allow transfers (event_operations.transfers)
  closed,           ///< not confirmed or waitlisted, erased, or the event cancelled or started
  duplicate_email,  ///< the new address already holds an active registration for the event
  same_email,       ///< the new address is the holder's own
};

struct TransferOutcome {
  TransferResult result = TransferResult::not_found;
  Registration registration;      ///< after the call (when found)
  std::int64_t transfer_id = 0;   ///< transferred: the registration_transfers row
};

/// Thrown by upsert_events when an import would lower an event's capacity
/// below its confirmed registrations; what() names the event and both numbers.
class CapacityBelowConfirmed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RegistrationStore {
 public:
  virtual ~RegistrationStore() = default;

  /// Registers each request in order inside ONE transaction (group commit):
  /// the event's counter row is locked, the capacity decision is a conditional
  /// update of the counter, and the registration, its first state move and an
  /// outbox row are written in the same transaction. Requests must be valid
  /// (see core/registration.hpp). Throws StoreError (nothing committed).
  virtual std::vector<RegisterOutcome> register_batch(const std::vector<RegistrationRequest>& requests,
                                                      UnixSeconds now) = 0;

  /// With the state-move history. nullopt when unknown.
  virtual std::optional<Registration> find_registration_by_token(const std::string& token_hash) = 0;
  virtual std::optional<Registration> find_registration(std::int64_t id) = 0;

  /// Cancels; a confirmed place is freed and, in the same transaction, it
  /// goes to the first waitlisted registration (lowest id) without an open
  /// offer: confirmed (promotion automatic) or offered (promotion offer), an
  /// outbox row written for each change. A waitlisted registration's open
  /// offer is declined with it.
  virtual CancelOutcome cancel_registration(const std::string& token_hash, UnixSeconds now,
                                            const std::string& actor) = 0;

  /// Checks in the confirmed registration with this ticket code.
  /// `event_key`: the event the door is for ("" = any); a ticket of another
  /// event is refused (other_event) and nothing changes.
  virtual CheckinOutcome check_in(const std::string& ticket_code, UnixSeconds now, const std::string& actor,
                                  const std::string& event_key = "") = 0;

  /// Registrations of one event ("" = all events), ordered by event key then id.
  virtual std::vector<Registration> list_registrations(const std::string& event_key, bool with_moves) = 0;
  /// Active registrations (confirmed, waitlisted, checked in) with this e-mail, by event key.
  virtual std::vector<Registration> list_registrations_by_email(const std::string& email) = 0;
  /// The event's place limit (capacity with its overbooking; nullopt =
  /// unlimited) and its confirmed, waitlisted and offered places; for an
  /// event nothing has counted yet (no counter row: a newly written event
  /// has none until its places are first counted) its place limit and
  /// zeros. nullopt when there is no such event.
  virtual std::optional<EventCounts> event_counts(const std::string& event_key) = 0;
  /// 1-based place of a waitlisted registration in its event's waiting list
  /// (promotion order: lowest id first); nullopt when it is not waitlisted.
  virtual std::optional<std::int64_t> waitlist_position(std::int64_t registration_id) = 0;
  /// Confirmed (incl. checked-in) places per event key; an event not listed
  /// has none.
  virtual std::map<std::string, std::int64_t> confirmed_counts() = 0;
  /// Places no one else can take per event key: confirmed (incl. checked in)
  /// and held by open offers. What "places left" subtracts from capacity.
  /// With overbooking the extra places (place limit − capacity) are taken
  /// off first, never below 0: capacity − this is the places left, at most
  /// the capacity, and 0 exactly when the place limit is reached. Lists
  /// only events with a place taken (confirmed or offered); an event not
  /// listed has none.
  virtual std::map<std::string, std::int64_t> taken_counts() = 0;

  /// The attendee (by personal-token hash) changes their name and answers
  /// (already validated): one transaction with a history line
  /// ("attendee: details changed"); refused once cancelled, checked in,
  /// erased, or the event is cancelled or has started at `now`.
  virtual DetailsOutcome change_details(const std::string& token_hash, const std::string& name, const Answers& answers,
                                        UnixSeconds now) = 0;
  /// Passes the registration to another person in one transaction, under the
  /// event's counter lock: the name, e-mail, answers, personal token and
  /// ticket code are replaced (the old token and ticket stop working at
  /// once), the old holder is kept in registration_transfers for their
  /// message, outbox rows transfer_sent (old holder) and transfer_received
  /// (new holder) and the audit entry "transfer" (tickets only, no personal
  /// data) as `actor` are written. Only where the event allows transfers.
  virtual TransferOutcome transfer_registration(const TransferRequest& t, UnixSeconds now, const std::string& actor) = 0;

  /// Removes the person from the registration (name, e-mail, answers,
  /// idempotency key); the place, state and history stay. False when unknown.
  virtual bool erase_registration(std::int64_t id, UnixSeconds now, const std::string& actor) = 0;
  /// Erases registrations of events whose end + retention_days has passed.
  /// Returns how many were erased.
  virtual std::int64_t purge_expired_registrations(UnixSeconds now) = 0;
};

}  // namespace marquee
