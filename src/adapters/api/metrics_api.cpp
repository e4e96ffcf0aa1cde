#include "adapters/api/metrics_api.hpp"

#include <spdlog/spdlog.h>

#include <atomic>

#include "adapters/http/prometheus_text.hpp"
#include "app/log_throttle.hpp"

namespace marquee {

void MetricsApi::add_routes(Router& router) {
  router.add(Route{"GET", "/metrics", Access::staff, [this](const Request&, const PathParams&) { return scrape(); }, true,
                   Capability::view});
}

Response MetricsApi::scrape() const {
  static std::atomic<std::uint64_t> errors{0};
  static LogThrottle throttle(std::chrono::seconds(60));
  std::vector<MetricFamily> all;
  for (const auto& collect : collectors_) {
    try {
      auto families = collect();
      for (auto& f : families) all.push_back(std::move(f));
    } catch (const std::exception& e) {
      errors.fetch_add(1, std::memory_order_relaxed);
      if (auto n = throttle.tick()) spdlog::warn("metrics: a collector failed ({} times): {}", *n, e.what());
    }
  }
  all.push_back(single_metric("marquee_scrape_errors_total",
                              "Metric collectors that failed during scrapes (e.g. the store was down)", "counter",
                              static_cast<double>(errors.load(std::memory_order_relaxed))));
  Response r;
  r.status = 200;
  r.content_type = kPrometheusContentType;
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::make_shared<const std::string>(prometheus_text(all));
  return r;
}

}  // namespace marquee
