#pragma once
// The insights figures as JSON and CSV for staff (issue 16; capability
// `view`; docs/analytics.md lists the columns, docs/openapi.json the shapes):
//   GET /api/v1/admin/insights/events[.csv]      ?from=&to=
//   GET /api/v1/admin/insights/searches[.csv]    ?from=&to=&limit=1..1000 (100)&zero=1
//   GET /api/v1/admin/insights/timeseries[.csv]  ?from=&to=&interval=day|hour
//   GET /api/v1/admin/insights/categories[.csv], /venues[.csv]  ?from=&to=
//   GET /api/v1/admin/insights/no-shows[.csv], /no-show-categories[.csv]  ?from=&to=
//       (events that started in the range; issue 21, no-show management)
// from/to are local dates (YYYY-MM-DD) of the analytics time zone, both
// included; by default the last 7 days. Errors are problem+json (400 with
// the parameter named).
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/render/insight_tables.hpp"
#include "app/insights.hpp"
#include "app/no_show_report.hpp"
#include "ports/clock.hpp"

namespace marquee {

class InsightsApi {
 public:
  using ZoneOf = std::function<std::string()>;
  InsightsApi(const Insights& insights, const NoShowReport& no_shows, const Clock& clock, ZoneOf zone);
  void add_routes(Router& router);

  /// Today's local date in the analytics zone.
  std::string today() const;

 private:
  Response answer(const Request& req, const std::string& table) const;

  const Insights& insights_;
  const NoShowReport& no_shows_;
  const Clock& clock_;
  ZoneOf zone_;
};

}  // namespace marquee
