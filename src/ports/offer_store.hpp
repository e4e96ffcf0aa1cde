#pragma once
// The waiting-list offer port (issue 21; migrations/<backend>/0016_place_offers.sql):
// per-event promotion settings, offers of held places, the attendee's answer,
// expiry and offers by hand. Every change is one transaction (per event) that
// locks the event's counter row before it reads or writes places or offers,
// like every registration change (offer_place takes the writers' lock first,
// as event edits do), so an offer can never be made for a place that is not
// free, nor twice, nor lost.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/place_offers.hpp"
#include "core/registration.hpp"
#include "ports/account_store.hpp"

namespace marquee {

/// What accept_offer / decline_offer did.
struct OfferOutcome {
  OfferAnswer result = OfferAnswer::not_found;
  Registration registration;        ///< after the call, with its moves (when found)
  std::optional<PlaceOffer> offer;  ///< the offer answered (accepted, declined or expired)
};

/// What offer_place did.
enum class HandOfferResult {
  offered,         ///< the offer is open (and its message written)
  not_found,       ///< no such registration
  not_waitlisted,  ///< the registration is not on the waiting list
  already_offered, ///< it has an open offer already
  no_free_place,   ///< every place is taken or held, and add_place was false
  closed,          ///< the event is cancelled or starts within kMinOfferWindow: no offers
};

struct HandOffer {
  HandOfferResult result = HandOfferResult::not_found;
  std::optional<PlaceOffer> offer;      ///< when offered
  std::optional<std::int64_t> capacity; ///< the event's capacity after the call (nullopt: unlimited)
  bool place_added = false;             ///< the capacity was raised by one for this offer
};

class OfferStore {
 public:
  virtual ~OfferStore() = default;

  /// The event's settings (the defaults when none were saved).
  virtual EventOperations event_operations(const std::string& event_key) = 0;
  /// overbook_percent of every event whose settings allow overbooking
  /// (percent > 0), by event key; events not named confirm up to their
  /// capacity. One read.
  virtual std::map<std::string, int> overbook_percents() = 0;
  /// Saves the event's settings, writes `audit` and fills free places under
  /// the new rule, in one transaction. False when there is no such event.
  virtual bool set_event_operations(const std::string& event_key, const EventOperations& ops, UnixSeconds now,
                                    const AuditEntry& audit) = 0;

  /// The attendee (by personal-token hash) accepts their open offer: the
  /// registration is confirmed, the held place becomes theirs and a
  /// waitlist_promoted message is written. At or after expires_at the offer
  /// is expired instead (as expire_offers would) and `expired` answered.
  virtual OfferOutcome accept_offer(const std::string& token_hash, UnixSeconds now) = 0;
  /// The attendee declines: the registration is cancelled (a
  /// registration_cancelled message) and the place is offered to the next
  /// person waiting. Late answers expire the offer as accept_offer does.
  virtual OfferOutcome decline_offer(const std::string& token_hash, UnixSeconds now) = 0;
  /// Expires every open offer with expires_at <= now (UTC seconds): the
  /// registration leaves the waiting list (cancelled, an offer_expired
  /// message) and the place goes to the next person waiting. One
  /// transaction per event. Returns how many offers expired.
  virtual std::int64_t expire_offers(UnixSeconds now) = 0;
  /// Offers a place by hand to waitlisted registration `registration_id`,
  /// ahead of its turn. With no free place, `add_place` raises the event's
  /// capacity by one (the event's version goes up; the next publish shows
  /// it), else no_free_place. `audit` is written with the offer.
  virtual HandOffer offer_place(std::int64_t registration_id, bool add_place, UnixSeconds now,
                                const AuditEntry& audit) = 0;

  /// Events with their own reminder offsets (event_operations.reminder_offsets
  /// not NULL): key → the text as stored ("24h, 2h", "" = none).
  virtual std::map<std::string, std::string> reminder_overrides() = 0;

  /// Every offer of an event, newest first.
  virtual std::vector<PlaceOffer> list_offers(const std::string& event_key) = 0;
  /// The registration's open offer, if any (it may have expired by now if
  /// expire_offers has not run since: see offer_acceptable).
  virtual std::optional<PlaceOffer> open_offer(std::int64_t registration_id) = 0;
};

}  // namespace marquee
