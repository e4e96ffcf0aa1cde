#pragma once
// The console's Insights page (issue 16; capability `view`): totals, a chart
// over time (uPlot, drawn by static/insights.js; the page keeps its tables
// without JavaScript), top events with conversion and fill rate, top and
// zero-result searches, categories and venues, for a chosen date range, each
// table with its CSV download (the insights API's .csv routes).
#include <functional>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "app/analytics_recorder.hpp"
#include "app/insights.hpp"
#include "app/no_show_report.hpp"
#include "ports/clock.hpp"

namespace marquee {

class InsightsConsole {
 public:
  using ZoneOf = std::function<std::string()>;
  /// `recorder` null: analytics is off in this process (the page says so).
  InsightsConsole(SiteRef site, const Insights& insights, const NoShowReport& no_shows, const Clock& clock, ZoneOf zone,
                  const AnalyticsRecorder* recorder);

  /// GET /admin/insights?from=YYYY-MM-DD&to=YYYY-MM-DD&interval=day|hour  (view)
  void add_routes(Router& router);

 private:
  Response page(const Request& req) const;

  SiteRef site_;
  const Insights& insights_;
  const NoShowReport& no_shows_;
  const Clock& clock_;
  ZoneOf zone_;
  const AnalyticsRecorder* recorder_;
};

}  // namespace marquee
