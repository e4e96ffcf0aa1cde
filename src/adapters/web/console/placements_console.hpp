#pragma once
// The console's partner placements (issue 17):
//   GET  /admin/placements                       the activation queue: conflicts, paid placements to
//                                                approve, unpaid ones, drafts, what shows or will, and the finished
//   POST /admin/placements/{id}/move             move=mark_paid|approve|pause|resume|end|cancel|refund
//   POST /admin/placements/{id}/checkout         a Stripe payment link for a draft with a price
//   GET  /admin/partners, POST /admin/partners   the partners; add one
//   GET  /admin/partners/{id}, POST …            one partner: edit it, its placements and their figures
//                                                (the last 30 days), new placements, report links
//   POST /admin/partners/{id}/placements         a new placement (window in the event's time zone)
//   POST /admin/partners/{id}/links, POST /admin/partners/{id}/links/{link}/revoke
// Reading needs `view`, every change `operate`; each change is one app-layer
// call (app/placements, app/partner_reports), audited there.
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "app/partner_reports.hpp"
#include "app/placements.hpp"

namespace marquee {

class PlacementsConsole {
 public:
  PlacementsConsole(SiteRef site, Store& store, PlacementService& placements, PartnerReports& reports,
                    PaymentGateway* gateway, const Clock& clock);
  void add_routes(Router& router);

 private:
  Response queue(const Request& req);
  Response move(const Request& req, const std::string& id);
  Response checkout(const Request& req, const std::string& id);
  Response partners(const Request& req, const std::string& message = "", int status = 200);
  Response create_partner(const Request& req);
  Response partner(const Request& req, const std::string& id, const std::string& message = "", int status = 200);
  Response edit_partner(const Request& req, const std::string& id);
  Response create_placement(const Request& req, const std::string& id);
  Response create_link(const Request& req, const std::string& id);
  Response revoke_link(const Request& req, const std::string& id, const std::string& link);

  SiteRef site_;
  Store& store_;
  PlacementService& placements_;
  PartnerReports& reports_;
  PaymentGateway* gateway_;
  const Clock& clock_;
};

}  // namespace marquee
