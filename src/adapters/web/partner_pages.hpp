#pragma once
// A partner's own report (issue 17), without an account:
//   GET /partners/{token}               the placements, their figures per day, charts
//   GET /partners/{token}/report.csv    the same per placement and day (render/insight_tables)
// ?from=&to= pick the days (default: the last 30 days to today, in the
// festival's time zone). An unknown, revoked or expired token is a 404 like
// any other. Private: Cache-Control private, no-cache; Referrer-Policy
// no-referrer; X-Robots-Tag noindex (and a robots meta tag).
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "app/partner_reports.hpp"

namespace marquee {

class PartnerPages {
 public:
  PartnerPages(SiteRef site, PartnerReports& reports, std::function<std::string()> zone)
      : site_(std::move(site)), reports_(reports), zone_(std::move(zone)) {}
  void add_routes(Router& router);

 private:
  Response page(const Request& req, const std::string& token);
  Response csv(const Request& req, const std::string& token);

  SiteRef site_;
  PartnerReports& reports_;
  std::function<std::string()> zone_;
};

/// ?from=&to= for a partner report (to defaults to today, from to 29 days before it).
std::optional<InsightRange> partner_report_range(const Request& req, const std::string& today, std::string* error);

}  // namespace marquee
