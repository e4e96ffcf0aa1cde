#pragma once
// JSON routes for waiting-list offers and each event's operations settings
// (issue 21; docs/registrations.md; docs/openapi.json): the attendee's answer
// by personal token, the operator's settings (promotion, offer hours,
// transfers) and offers by hand.
#include "adapters/http/router.hpp"
#include "app/place_offers.hpp"

namespace marquee {

class PlaceOffersApi {
 public:
  explicit PlaceOffersApi(WaitingListOffers& offers) : offers_(offers) {}

  /// Adds, all blocking (they call the store):
  ///   POST /api/v1/registrations/{token}/offer/accept   public (the token is the secret)
  ///   POST /api/v1/registrations/{token}/offer/decline  public
  ///   GET  /api/v1/events/{key}/operations              staff (attendees): settings, counts, offers
  ///   PUT  /api/v1/events/{key}/operations              staff: {"promotion": "automatic"|"offer", "offer_hours": 1..168,
  ///                                                     "transfers": bool}; absent members keep their value
  ///   POST /api/v1/events/{key}/offers                  staff: {"registration_id": N, "add_place": false}
  void add_routes(Router& router);

 private:
  Response answer(const Request& req, const std::string& token, bool accept);
  Response read(const Request& req, const std::string& key);
  Response save(const Request& req, const std::string& key);
  Response offer(const Request& req, const std::string& key);

  WaitingListOffers& offers_;
};

}  // namespace marquee
