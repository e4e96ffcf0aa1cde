#include "cli/metric_collectors.hpp"

#include <chrono>

#include "cli/application.hpp"

namespace marquee {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

MetricFamily labelled(std::string name, std::string help, std::string type) {
  return MetricFamily{std::move(name), std::move(help), std::move(type), {}};
}

std::vector<MetricFamily> programme_families(Application& app, const Clock& clock) {
  const auto serving = app.cache.serving();
  const auto programme = app.cache.current();
  std::vector<MetricFamily> out;
  auto source = labelled("marquee_programme_source",
                         "The source the public programme is served from (1 for the one in use): live (the store's "
                         "live snapshot), local (this instance's last copy), backup or bundled",
                         "gauge");
  for (const char* s : {"live", "local", "backup", "bundled"})
    source.samples.push_back({"", Labels{{"source", s}}, serving.source == s ? 1.0 : 0.0});
  out.push_back(std::move(source));
  out.push_back(single_metric("marquee_snapshot_number", "The number of the snapshot being served (0 for a fallback)",
                              "gauge", static_cast<double>(serving.snapshot)));
  if (programme && programme->publication().published_at > 0)
    out.push_back(single_metric("marquee_snapshot_age_seconds", "Seconds since the served snapshot was published",
                                "gauge",
                                static_cast<double>(clock.now() - programme->publication().published_at)));
  out.push_back(single_metric("marquee_public_events", "Events in the programme being served", "gauge",
                              programme ? static_cast<double>(programme->entries().size()) : 0.0));
  return out;
}

// The outbox by kind, and whether the store answered that query.
std::vector<MetricFamily> outbox_families(Store& store, const Clock& clock) {
  const auto now = clock.now();
  std::vector<OutboxBacklog> backlog;
  try {
    backlog = store.outbox_backlog(now);
  } catch (const StoreError&) {
    return {single_metric("marquee_store_up", "Whether the store answered this scrape's query (1) or not (0)", "gauge", 0)};
  }
  auto pending = labelled("marquee_outbox_pending", "Outbox messages not yet sent, failed or skipped, by kind", "gauge");
  auto due = labelled("marquee_outbox_due", "Of them, messages due now (waiting for a sender), by kind", "gauge");
  auto age = labelled("marquee_outbox_oldest_due_age_seconds",
                      "Age in seconds of the oldest message of each kind that is due and not yet sent (0 when none is "
                      "due): how long delivery is behind",
                      "gauge");
  for (const auto& b : backlog) {
    const Labels kind{{"kind", b.kind}};
    pending.samples.push_back({"", kind, static_cast<double>(b.pending)});
    due.samples.push_back({"", kind, static_cast<double>(b.due)});
    age.samples.push_back({"", kind, static_cast<double>(b.oldest_due_created_at > 0 && b.oldest_due_created_at <= now ? now - b.oldest_due_created_at : 0)});
  }
  std::vector<MetricFamily> out;
  out.push_back(single_metric("marquee_store_up", "Whether the store answered this scrape's query (1) or not (0)", "gauge", 1));
  out.push_back(std::move(pending));
  out.push_back(std::move(due));
  out.push_back(std::move(age));
  return out;
}

std::vector<MetricFamily> store_families(Store& store) {
  const auto h = store.health();
  auto errors = labelled("marquee_store_errors_total",
                         "Store errors raised in this process, by cause (failed, disk_full, unreachable)", "counter");
  for (const auto& [cause, name] : {std::pair{StoreError::Cause::failed, "failed"},
                                    std::pair{StoreError::Cause::disk_full, "disk_full"},
                                    std::pair{StoreError::Cause::unreachable, "unreachable"}})
    errors.samples.push_back({"", Labels{{"cause", name}}, static_cast<double>(StoreError::raised(cause))});
  std::vector<MetricFamily> out;
  out.push_back(std::move(errors));
  out.push_back(single_metric("marquee_store_connections_opened_total", "Store connections opened", "counter",
                              static_cast<double>(h.connections_opened)));
  out.push_back(single_metric("marquee_store_connect_failures_total", "Attempts to open a store connection that failed",
                              "counter", static_cast<double>(h.connect_failures)));
  out.push_back(single_metric("marquee_store_reconnects_total",
                              "Broken store connections re-established in place (PostgreSQL)", "counter",
                              static_cast<double>(h.reconnects)));
  out.push_back(single_metric("marquee_store_open_connections", "Store connections open now (in use or idle)", "gauge",
                              static_cast<double>(h.open_connections)));
  return out;
}

std::vector<MetricFamily> analytics_families(Application& app) {
  if (!app.analytics) return {};
  const auto s = app.analytics->stats();
  return {
      single_metric("marquee_analytics_signals_total", "Views, searches, saves and clicks counted", "counter",
                    static_cast<double>(s.recorded)),
      single_metric("marquee_analytics_flushes_total", "Buffer flushes that wrote rows", "counter",
                    static_cast<double>(s.flushes)),
      single_metric("marquee_analytics_failed_flushes_total", "Buffer flushes the store refused (kept for the next)",
                    "counter", static_cast<double>(s.failed_flushes)),
      single_metric("marquee_analytics_rows_written_total", "Analytics rows written", "counter",
                    static_cast<double>(s.rows_written)),
      single_metric("marquee_analytics_rows_dropped_total", "Analytics rows given up after refused flushes in a row",
                    "counter", static_cast<double>(s.rows_dropped)),
      single_metric("marquee_analytics_buffered_rows", "Rows waiting in the buffer for the next flush", "gauge",
                    static_cast<double>(app.analytics->buffered_rows())),
      single_metric("marquee_analytics_buffer_limit_rows",
                    "Visitor and search rows the buffer holds before it drops detail", "gauge",
                    static_cast<double>(app.analytics->buffer_limit_rows())),
  };
}

std::vector<MetricFamily> process_families() {
  static const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto info = labelled("marquee_build_info", "The running version (always 1)", "gauge");
  info.samples.push_back({"", Labels{{"version", MARQUEE_VERSION}}, 1.0});
  std::vector<MetricFamily> out;
  out.push_back(std::move(info));
  out.push_back(single_metric("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds",
                              "gauge", started));
  return out;
}

}  // namespace

std::vector<MetricsApi::Collector> metric_collectors(Application& app, Store& store, const Clock& clock) {
  process_families();  // fixes the start time now
  return {
      [] { return process_families(); },
      [&app] { return app.request_metrics ? app.request_metrics->families() : std::vector<MetricFamily>{}; },
      [&app] { return app.batch_metrics.families(); },
      [&app, &clock] { return programme_families(app, clock); },
      [&store] { return store_families(store); },
      [&app] { return analytics_families(app); },
      [&store, &clock] { return outbox_families(store, clock); },
  };
}

}  // namespace marquee
