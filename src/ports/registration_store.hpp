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
  std::optional<std::int64_t> capacity;
  std::int64_t confirmed = 0;
  std::int64_t waitlisted = 0;  ///< incl. those with an open offer
  std::int64_t offered = 0;     ///< places held by open offers (ports/offer_store.hpp)
  /// Places no one else can take: confirmed and held.
  std::int64_t taken() const { return confirmed + offered; }
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
  virtual std::optional<EventCounts> event_counts(const std::string& event_key) = 0;
  /// 1-based place of a waitlisted registration in its event's waiting list
  /// (promotion order: lowest id first); nullopt when it is not waitlisted.
  virtual std::optional<std::int64_t> waitlist_position(std::int64_t registration_id) = 0;
  /// Confirmed (incl. checked-in) places per event key.
  virtual std::map<std::string, std::int64_t> confirmed_counts() = 0;
  /// Places no one else can take per event key: confirmed (incl. checked in)
  /// and held by open offers. What "places left" subtracts from capacity.
  virtual std::map<std::string, std::int64_t> taken_counts() = 0;

  /// Removes the person from the registration (name, e-mail, answers,
  /// idempotency key); the place, state and history stay. False when unknown.
  virtual bool erase_registration(std::int64_t id, UnixSeconds now, const std::string& actor) = 0;
  /// Erases registrations of events whose end + retention_days has passed.
  /// Returns how many were erased.
  virtual std::int64_t purge_expired_registrations(UnixSeconds now) = 0;
};

}  // namespace marquee
