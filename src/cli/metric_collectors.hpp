#pragma once
// What GET /metrics collects from a running Application: requests,
// registration batches, the programme being served, the outbox, the store's
// connections and errors, analytics buffering, and build information.
#include <vector>

#include "adapters/api/metrics_api.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct Application;

/// The collectors, in exposition order; they read `app`, `store` and `clock`
/// at scrape time only (so `app` may still be under construction now).
/// Only the outbox collector queries the store.
std::vector<MetricsApi::Collector> metric_collectors(Application& app, Store& store, const Clock& clock);

}  // namespace marquee
