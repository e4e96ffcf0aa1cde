#include "core/place_offers.hpp"

#include <algorithm>

namespace marquee {

std::optional<UnixSeconds> offer_expiry(UnixSeconds now, UnixSeconds starts_at, int offer_hours) {
  const UnixSeconds left = starts_at - now;
  if (left < kMinOfferWindow) return std::nullopt;
  const UnixSeconds hours = static_cast<UnixSeconds>(std::clamp(offer_hours, kMinOfferHours, kMaxOfferHours)) * 3600;
  const UnixSeconds window = std::min({hours, std::max(left / 2, kMinOfferWindow), left});
  return now + window;
}

std::string_view to_string(OfferState s) {
  switch (s) {
    case OfferState::open: return "open";
    case OfferState::accepted: return "accepted";
    case OfferState::declined: return "declined";
    case OfferState::expired: return "expired";
    case OfferState::withdrawn: return "withdrawn";
  }
  return "open";
}

std::optional<OfferState> parse_offer_state(std::string_view text) {
  for (auto s : {OfferState::open, OfferState::accepted, OfferState::declined, OfferState::expired, OfferState::withdrawn})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool offer_acceptable(const PlaceOffer& o, UnixSeconds now) { return o.state == OfferState::open && now < o.expires_at; }

const OfferAnswerText& offer_answer_text(OfferAnswer a) {
  static const OfferAnswerText accepted{200, "", "Offer accepted", "The place is yours: your registration is confirmed."};
  static const OfferAnswerText declined{200, "", "Offer declined",
                                        "You declined the place; it goes to the next person waiting."};
  static const OfferAnswerText expired{409, "/problems/offer-expired", "Offer expired",
                                       "Sorry, this offer has expired and the place went to the next person waiting."};
  static const OfferAnswerText no_offer{409, "/problems/no-open-offer", "No open offer",
                                        "There is no open offer of a place for this registration."};
  static const OfferAnswerText not_found{404, "/problems/registration-not-found", "Registration not found",
                                         "This registration link is not valid."};
  switch (a) {
    case OfferAnswer::accepted: return accepted;
    case OfferAnswer::declined: return declined;
    case OfferAnswer::expired: return expired;
    case OfferAnswer::no_offer: return no_offer;
    case OfferAnswer::not_found: return not_found;
  }
  return no_offer;
}

}  // namespace marquee
