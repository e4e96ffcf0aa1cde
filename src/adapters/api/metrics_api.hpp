#pragma once
// GET /metrics: this instance's metrics in the Prometheus text exposition
// format 0.0.4, for a staff token on the main port, or for anyone on the
// separate --metrics-listen address (which should stay on loopback or a
// private network). Each instance is scraped on its own, never through nginx.
#include <functional>
#include <vector>

#include "adapters/http/router.hpp"
#include "app/metrics.hpp"

namespace marquee {

class MetricsApi {
 public:
  /// What a scrape collects, called in order on the store lane (a collector
  /// may query the store; one that throws StoreError is skipped and
  /// marquee_scrape_errors_total counts it).
  using Collector = std::function<std::vector<MetricFamily>()>;
  explicit MetricsApi(std::vector<Collector> collectors) : collectors_(std::move(collectors)) {}

  /// GET /metrics (staff, capability view, blocking).
  void add_routes(Router& router);
  /// The exposition: 200 text/plain; version=0.0.4, Cache-Control: no-store.
  Response scrape() const;

 private:
  std::vector<Collector> collectors_;
};

}  // namespace marquee
