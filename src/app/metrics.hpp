#pragma once
// What an instance measures about itself, kept in memory with atomics (no
// lock on the request path), and the neutral shape a scrape collects it in.
// The Prometheus text rendering is in adapters/http/prometheus_text.hpp; the
// /metrics route in adapters/api/metrics_api.hpp.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace marquee {

/// One sample: the family name plus a suffix ("_bucket", "_sum", "_count" or
/// ""), its labels (name, value) in order, and its value.
struct MetricSample {
  std::string suffix;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

/// A metric family as the Prometheus data model has it: name, help text,
/// type ("counter", "gauge" or "histogram") and samples.
struct MetricFamily {
  std::string name;
  std::string help;
  std::string type;
  std::vector<MetricSample> samples;
};

/// A histogram with fixed upper bounds (ascending, e.g. seconds): lock-free
/// observe(), cumulative buckets on read.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  /// Appends the "_bucket" (cumulative, with le="+Inf"), "_sum" and "_count"
  /// samples to `family`, each with `labels` first.
  void append_to(MetricFamily& family, const std::vector<std::pair<std::string, std::string>>& labels) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  ///< per bound, not cumulative; +Inf is count_
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

/// Seconds buckets for request and transaction times: 1 ms … 10 s.
std::vector<double> latency_buckets();

/// Requests answered, by route (method and pattern, fixed when the router is
/// built) and status, with a latency histogram per route. Thread-safe;
/// observe() takes no lock for the common status codes.
class RequestMetrics {
 public:
  /// `routes`: (method, pattern) of each route, in the router's order;
  /// index routes.size() stands for requests no route matched.
  explicit RequestMetrics(const std::vector<std::pair<std::string, std::string>>& routes);
  ~RequestMetrics();
  /// `route`: the index the router reported (routes.size() = none);
  /// `status`: the HTTP status sent; `seconds`: time in the handler.
  void observe(std::size_t route, int status, double seconds);
  /// marquee_http_requests_total and marquee_http_request_duration_seconds.
  std::vector<MetricFamily> families() const;

 private:
  struct PerRoute;
  std::vector<std::pair<std::string, std::string>> labels_;
  std::vector<std::unique_ptr<PerRoute>> per_route_;
};

/// Registration transactions (group commits): size and time of each.
class RegistrationBatchMetrics {
 public:
  RegistrationBatchMetrics();
  void observe(std::size_t size, double seconds, bool committed);
  std::vector<MetricFamily> families() const;

 private:
  Histogram size_;
  Histogram seconds_;
  std::atomic<std::uint64_t> failed_{0};
};

/// `v` as the exposition format writes it: the shortest decimal that reads
/// back as v ("0.005", "12", "1e+21"), "+Inf", "-Inf" or "NaN".
std::string metric_number(double v);

/// A family with one unlabelled sample.
MetricFamily single_metric(std::string name, std::string help, std::string type, double value);

}  // namespace marquee
