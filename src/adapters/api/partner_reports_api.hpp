#pragma once
// The operators' side of partner reports (issue 17; docs/openapi.json):
//   GET  /api/v1/admin/partners/{id}/report[.csv]?from=&to=   staff (view): the figures a partner sees
//   GET  /api/v1/admin/partners/{id}/links                    staff (view): its report links (never the tokens)
//   POST /api/v1/admin/partners/{id}/links                    staff (operate): {expires_in_days?, rotate?} → 201
//        {link: {id, url, token, expires_at}}: the token is shown this once; rotate revokes the others
//   POST /api/v1/admin/partners/{id}/links/{link}/revoke      staff (operate): 200, or 404 when not active
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "app/partner_reports.hpp"

namespace marquee {

class PartnerReportsApi {
 public:
  /// `public_url`: the site's absolute base for link URLs ("" = relative).
  PartnerReportsApi(Store& store, PartnerReports& reports, std::function<std::string()> public_url)
      : store_(store), reports_(reports), public_url_(std::move(public_url)) {}
  void add_routes(Router& router);

 private:
  Response report(const Request& req, const std::string& id);
  Response links(const Request& req, const std::string& id);
  Response create_link(const Request& req, const std::string& id);
  Response revoke_link(const Request& req, const std::string& id, const std::string& link);

  Store& store_;
  PartnerReports& reports_;
  std::function<std::string()> public_url_;
};

}  // namespace marquee
