#pragma once
// Waiting-list offers (issue 21; docs/registrations.md, "Waiting-list
// offers"): each event's promotion rule, the attendee's answer to an offer,
// the expiry job and offers by hand. Every move is one store transaction
// (ports/offer_store.hpp); operator moves write their audit entry in it. The
// expiry job runs every minute in `marquee serve`, as the cron job "offers"
// and as `marquee attendees expire-offers`.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/place_offers.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// A change to an event's operations settings, as typed (console, API, CLI);
/// empty or nullopt members keep their value.
struct OperationsChange {
  std::string promotion;                 ///< "automatic" | "offer"
  std::string offer_hours;               ///< a whole number, kMinOfferHours..kMaxOfferHours
  std::optional<bool> transfers;         ///< attendees may give their place to someone else
  std::optional<std::string> reminders;  ///< "24h, 2h"; "" or "off" = none; "default" = the installation's
  std::optional<std::string> reconfirm;          ///< hours before the start to ask "Still coming?"; "off" or "" = never
  std::optional<std::string> reconfirm_release;  ///< hours before the start to release unanswered places; "off" or "" = never
  std::optional<std::string> overbook;  ///< percent of the capacity confirmed beyond it, 0..kMaxOverbookPercent; "off" or "" = 0
  std::optional<std::string> door_release;  ///< minutes after the start, kMinDoorReleaseMinutes..kMaxDoorReleaseMinutes; "off" or "" = never
};

/// What saving an event's settings did.
struct OperationsSaved {
  bool found = false;  ///< the event exists
  std::vector<std::pair<std::string, std::string>> errors;  ///< field → message; nothing saved when any
  bool changed = false;  ///< saved and audited (false when the values were already these)
  EventOperations now;   ///< the settings after the call
};

class WaitingListOffers {
 public:
  WaitingListOffers(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  EventOperations operations(const std::string& event_key) { return store_.event_operations(event_key); }

  /// Validates and saves `change` to event `event_key`'s settings (see
  /// OperationsChange; field errors "promotion", "offer_hours", "reminders",
  /// "reconfirm_hours", "reconfirm_release_hours" (core check_reconfirmation),
  /// "overbook_percent" (also when the place limit it gives is below the
  /// confirmed places), "door_release_minutes", and nothing saved when any is invalid), audited "event_operations" as
  /// `actor` with the values before and after. Switching to "offer" changes
  /// nothing for offers already open. Throws StoreError.
  OperationsSaved save(const std::string& event_key, const OperationsChange& change, const std::string& actor);

  /// The attendee with personal token `token` accepts / declines their open
  /// offer (OfferStore::accept_offer / decline_offer). Throws StoreError.
  OfferOutcome accept(const std::string& token);
  OfferOutcome decline(const std::string& token);

  /// Expires the open offers due by `at` (default: the clock) and offers the
  /// places on. Returns how many expired. Throws StoreError.
  std::int64_t expire(std::optional<UnixSeconds> at = std::nullopt);

  /// Offers waitlisted registration `registration_id` a place by hand (see
  /// OfferStore::offer_place), audited "offer_place" as `actor`. Throws StoreError.
  HandOffer offer(std::int64_t registration_id, bool add_place, const std::string& actor);

  /// The problem `detail` for a refused hand offer, e.g. "every one of the
  /// 40 places is taken or held: add a place to offer one".
  static std::string refusal_detail(const HandOffer& h);

  // Reads for the API and the console beside the moves.
  bool event_exists(const std::string& event_key) { return store_.find_event(event_key).has_value(); }
  std::optional<Event> event(const std::string& event_key) { return store_.find_event(event_key); }
  std::optional<EventCounts> counts(const std::string& event_key) { return store_.event_counts(event_key); }
  /// Every offer of the event, newest first.
  std::vector<PlaceOffer> offers_of(const std::string& event_key) { return store_.list_offers(event_key); }
  std::optional<Registration> registration(std::int64_t id) { return store_.find_registration(id); }

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
