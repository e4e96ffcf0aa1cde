#pragma once
// JSON routes for waiting-list offers and each event's operations settings
// (issue 21; docs/registrations.md; docs/openapi.json): the attendee's answer
// by personal token, the operator's settings (promotion, offer hours,
// transfers) and offers by hand.
#include "adapters/http/router.hpp"
#include "app/no_show_report.hpp"
#include "app/place_offers.hpp"

namespace marquee {

class PlaceOffersApi {
 public:
  PlaceOffersApi(WaitingListOffers& offers, const NoShowReport& no_shows) : offers_(offers), no_shows_(no_shows) {}

  /// Adds, all blocking (they call the store):
  ///   POST /api/v1/registrations/{token}/offer/accept   public (the token is the secret)
  ///   POST /api/v1/registrations/{token}/offer/decline  public
  ///   GET  /api/v1/events/{key}/operations              staff (attendees): settings, counts, offers
  ///   PUT  /api/v1/events/{key}/operations              staff: {"promotion": "automatic"|"offer", "offer_hours": 1..168,
  ///                                                     "transfers": bool, "reminders": "24h, 2h"|null,
  ///                                                     "reconfirm_hours": 1..336|null, "reconfirm_release_hours": 1..335|null,
  ///                                                     "overbook_percent": 0..100}; absent members keep their value.
  ///                                                     GET answers the settings, counts (capacity, place_limit,
  ///                                                     confirmed, waitlisted, offered) and overbooking_risk (or null)
  ///   POST /api/v1/events/{key}/offers                  staff: {"registration_id": N, "add_place": false}
  void add_routes(Router& router);

 private:
  Response answer(const Request& req, const std::string& token, bool accept);
  Response read(const Request& req, const std::string& key);
  Response save(const Request& req, const std::string& key);
  Response offer(const Request& req, const std::string& key);

  WaitingListOffers& offers_;
  const NoShowReport& no_shows_;
};

}  // namespace marquee
