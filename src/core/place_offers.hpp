#pragma once
// Waiting-list offers (issue 21): how an event fills a freed place, how long
// an offer stays open, and the offer's states. Plain C++, no I/O; the store
// applies these rules under the event's counter lock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/event_operations.hpp"

namespace marquee {

/// The shortest offer (seconds): with less time than this before the start,
/// no offer is made any more (the place stays free for registration, and
/// later for the door).
inline constexpr UnixSeconds kMinOfferWindow = 15 * 60;

/// When an offer made at `now` expires (UTC seconds) for an event starting
/// at `starts_at`: after `offer_hours` (clamped to kMinOfferHours..
/// kMaxOfferHours), but shorter close to the start — at most half the time
/// left, yet at least kMinOfferWindow, and never after the start. nullopt
/// when less than kMinOfferWindow is left: too late for an offer.
std::optional<UnixSeconds> offer_expiry(UnixSeconds now, UnixSeconds starts_at, int offer_hours);

/// An offer's life: open until accepted, declined, expired or withdrawn.
enum class OfferState { open, accepted, declined, expired, withdrawn };
std::string_view to_string(OfferState s);
std::optional<OfferState> parse_offer_state(std::string_view text);

/// One offer of a held place to a waitlisted registration.
struct PlaceOffer {
  std::int64_t id = 0;
  std::string event_key;
  std::int64_t registration_id = 0;
  OfferState state = OfferState::open;
  UnixSeconds offered_at = 0;
  UnixSeconds expires_at = 0;              ///< UTC seconds; the offer cannot be accepted from then on
  std::optional<UnixSeconds> answered_at;  ///< when it left `open`
  std::string actor;                       ///< "promotion" (a freed place), or the operator who offered it by hand
};

/// True while `o` can still be accepted at `now`.
bool offer_acceptable(const PlaceOffer& o, UnixSeconds now);

/// What an attendee's answer to an offer did.
enum class OfferAnswer {
  accepted,     ///< the registration is confirmed
  declined,     ///< the registration is cancelled; the place goes to the next person
  expired,      ///< too late: the offer had expired (it is closed now and the place moved on)
  no_offer,     ///< the registration has no open offer
  not_found,    ///< no such registration
};

/// Problem type, title and HTTP status for an answer (RFC 9457), e.g.
/// expired → 409 "/problems/offer-expired" "Offer expired".
struct OfferAnswerText {
  int status = 200;
  std::string_view problem_type;  ///< "" for accepted/declined
  std::string_view title;
  std::string_view page_message;  ///< the sentence on the personal page
};
const OfferAnswerText& offer_answer_text(OfferAnswer a);

}  // namespace marquee
