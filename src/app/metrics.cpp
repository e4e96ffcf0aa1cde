#include "app/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace marquee {
namespace {

// The status codes Marquee answers with; any other goes to a map under a lock.
constexpr std::array<int, 24> kCommonStatuses{200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400,
                                              401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503};

int status_slot(int status) {
  const auto it = std::find(kCommonStatuses.begin(), kCommonStatuses.end(), status);
  return it == kCommonStatuses.end() ? -1 : static_cast<int>(it - kCommonStatuses.begin());
}

}  // namespace

std::string metric_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // the shortest text that reads back as v
  return std::string(buf, r.ptr);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size()]) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);  // first bound ≥ value: le is inclusive
  if (it != bounds_.end()) buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

void Histogram::append_to(MetricFamily& family, const std::vector<std::pair<std::string, std::string>>& labels) const {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    auto l = labels;
    l.emplace_back("le", metric_number(bounds_[i]));
    family.samples.push_back({"_bucket", std::move(l), static_cast<double>(cumulative)});
  }
  // Read count after the buckets: +Inf is never below the last bound's bucket.
  const auto count = std::max(cumulative, count_.load(std::memory_order_relaxed));
  auto inf = labels;
  inf.emplace_back("le", "+Inf");
  family.samples.push_back({"_bucket", std::move(inf), static_cast<double>(count)});
  family.samples.push_back({"_sum", labels, sum_.load(std::memory_order_relaxed)});
  family.samples.push_back({"_count", labels, static_cast<double>(count)});
}

std::vector<double> latency_buckets() { return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}; }

struct RequestMetrics::PerRoute {
  Histogram seconds{latency_buckets()};
  std::array<std::atomic<std::uint64_t>, kCommonStatuses.size()> common{};
  std::mutex other_mutex;
  std::map<int, std::uint64_t> other;
};

RequestMetrics::RequestMetrics(const std::vector<std::pair<std::string, std::string>>& routes) : labels_(routes) {
  labels_.emplace_back("", "(unmatched)");
  for (std::size_t i = 0; i < labels_.size(); ++i) per_route_.push_back(std::make_unique<PerRoute>());
}

RequestMetrics::~RequestMetrics() = default;

void RequestMetrics::observe(std::size_t route, int status, double seconds) {
  auto& r = *per_route_[std::min(route, per_route_.size() - 1)];
  r.seconds.observe(seconds);
  if (const int slot = status_slot(status); slot >= 0) {
    r.common[static_cast<std::size_t>(slot)].fetch_add(1, std::memory_order_relaxed);
  } else {
    std::lock_guard lock(r.other_mutex);
    ++r.other[status];
  }
}

std::vector<MetricFamily> RequestMetrics::families() const {
  MetricFamily total{"marquee_http_requests_total",
                     "HTTP requests answered, by route (method and path pattern) and status", "counter", {}};
  MetricFamily seconds{"marquee_http_request_duration_seconds",
                       "Time from the request's arrival at its handler to its response, by route", "histogram", {}};
  for (std::size_t i = 0; i < per_route_.size(); ++i) {
    const auto& [method, pattern] = labels_[i];
    const std::vector<std::pair<std::string, std::string>> route{{"method", method.empty() ? "any" : method},
                                                                 {"route", pattern}};
    auto& r = *per_route_[i];
    if (r.seconds.count() == 0) continue;  // a route never called has no series
    std::map<int, std::uint64_t> counts;
    for (std::size_t s = 0; s < kCommonStatuses.size(); ++s)
      if (auto n = r.common[s].load(std::memory_order_relaxed)) counts[kCommonStatuses[s]] = n;
    {
      std::lock_guard lock(r.other_mutex);
      for (const auto& [status, n] : r.other) counts[status] += n;
    }
    for (const auto& [status, n] : counts) {
      auto l = route;
      l.emplace_back("status", std::to_string(status));
      total.samples.push_back({"", std::move(l), static_cast<double>(n)});
    }
    r.seconds.append_to(seconds, route);
  }
  return {std::move(total), std::move(seconds)};
}

RegistrationBatchMetrics::RegistrationBatchMetrics()
    : size_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}), seconds_(latency_buckets()) {}

void RegistrationBatchMetrics::observe(std::size_t size, double seconds, bool committed) {
  size_.observe(static_cast<double>(size));
  seconds_.observe(seconds);
  if (!committed) failed_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<MetricFamily> RegistrationBatchMetrics::families() const {
  MetricFamily size{"marquee_registration_batch_size", "Registrations written per transaction (group commit)",
                    "histogram", {}};
  size_.append_to(size, {});
  MetricFamily seconds{"marquee_registration_batch_duration_seconds", "Time of each registration transaction",
                       "histogram", {}};
  seconds_.append_to(seconds, {});
  return {std::move(size), std::move(seconds),
          single_metric("marquee_registration_batch_failures_total",
                        "Registration transactions that failed (their requests were retried one by one)", "counter",
                        static_cast<double>(failed_.load(std::memory_order_relaxed)))};
}

MetricFamily single_metric(std::string name, std::string help, std::string type, double value) {
  return MetricFamily{std::move(name), std::move(help), std::move(type), {{"", {}, value}}};
}

}  // namespace marquee
