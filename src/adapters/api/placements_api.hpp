#pragma once
// The staff API of partners and placements (issue 17; docs/openapi.json).
// Every change goes through app/placements (one transaction with its history
// row and audit entry). Instants are RFC 3339; a window given without an
// offset ("2027-06-11T19:00") is read in the event's time zone.
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "app/placements.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class PlacementsApi {
 public:
  /// `gateway`: where checkouts are made (null: POST …/checkout answers 503);
  /// `public_url`: the site's absolute base, read at each use.
  PlacementsApi(Store& store, PlacementService& service, const Clock& clock, PaymentGateway* gateway,
                std::function<std::string()> public_url);

  /// GET   /api/v1/admin/partners                   staff (view): every partner
  /// POST  /api/v1/admin/partners                   staff (operate): {name, contact_email?, notes?} → 201
  /// GET   /api/v1/admin/partners/{id}              staff (view): the partner and its placements
  /// PATCH /api/v1/admin/partners/{id}              staff (operate): the fields to change
  /// GET   /api/v1/admin/placements[?partner=ID]    staff (view): newest first
  /// POST  /api/v1/admin/placements                 staff (operate): {partner_id, event_key, slot, starts_at,
  ///   ends_at, priority?, share_of_voice?, price_cents?, currency?, notes?} → 201, state draft, ETag "v1"
  /// GET   /api/v1/admin/placements/{id}            staff (view): with its history; ETag = its version
  /// PATCH /api/v1/admin/placements/{id}            staff (operate): If-Match required (428 without,
  ///   412 with the current placement when stale)
  /// POST  /api/v1/admin/placements/{id}/moves      staff (operate): {"move": "mark_paid" | "approve" | "pause" |
  ///   "resume" | "end" | "cancel" | "refund"} → 200 {placement, changed, warning}; 409 when the state does not allow it
  /// POST  /api/v1/admin/placements/{id}/checkout   staff (operate): a Stripe Checkout for a draft with a price
  ///   → 201 {checkout_url, placement} (now awaiting_payment); 409 refused (state, no price, no public URL),
  ///   502 when Stripe refused or could not be reached, 503 when no payment provider is configured
  /// Errors are RFC 9457 problem+json; 422 lists field errors.
  void add_routes(Router& router);

 private:
  Response list_partners();
  Response create_partner(const Request& req);
  Response get_partner(const Request& req, const std::string& id);
  Response patch_partner(const Request& req, const std::string& id);
  Response list_placements(const Request& req);
  Response create_placement(const Request& req);
  Response get_placement(const Request& req, const std::string& id);
  Response patch_placement(const Request& req, const std::string& id);
  Response move_placement(const Request& req, const std::string& id);
  Response checkout(const Request& req, const std::string& id);

  Store& store_;
  PlacementService& service_;
  const Clock& clock_;
  PaymentGateway* gateway_;
  std::function<std::string()> public_url_;
};

}  // namespace marquee
