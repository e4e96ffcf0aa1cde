#include "app/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace marquee {
namespace {

double sample(const MetricFamily& f, const std::string& suffix, const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& s : f.samples)
    if (s.suffix == suffix && s.labels == labels) return s.value;
  ADD_FAILURE() << "no sample " << f.name << suffix;
  return -1;
}

TEST(Histogram, BucketsAreCumulativeAndInclusive) {
  Histogram h({0.01, 0.1, 1});
  for (double v : {0.005, 0.01, 0.05, 0.5, 7.0}) h.observe(v);  // 0.01 lands in le="0.01"
  MetricFamily f{"t", "", "histogram", {}};
  h.append_to(f, {{"route", "/x"}});
  EXPECT_EQ(sample(f, "_bucket", {{"route", "/x"}, {"le", "0.01"}}), 2);
  EXPECT_EQ(sample(f, "_bucket", {{"route", "/x"}, {"le", "0.1"}}), 3);
  EXPECT_EQ(sample(f, "_bucket", {{"route", "/x"}, {"le", "1"}}), 4);
  EXPECT_EQ(sample(f, "_bucket", {{"route", "/x"}, {"le", "+Inf"}}), 5);
  EXPECT_EQ(sample(f, "_count", {{"route", "/x"}}), 5);
  EXPECT_NEAR(sample(f, "_sum", {{"route", "/x"}}), 7.565, 1e-9);
}

TEST(RequestMetrics, CountsByRouteAndStatusFromManyThreads) {
  RequestMetrics m({{"GET", "/events/{key}"}, {"POST", "/api/v1/events/{key}/registrations"}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.observe(0, 200, 0.001);
      m.observe(1, 418, 0.2);  // an uncommon status still counts
    });
  for (auto& t : threads) t.join();
  m.observe(2, 404, 0.0001);  // no route matched
  m.observe(99, 404, 0.0001);  // out of range counts as unmatched too
  const auto families = m.families();
  ASSERT_EQ(families.size(), 2u);
  const auto& total = families[0];
  EXPECT_EQ(total.name, "marquee_http_requests_total");
  EXPECT_EQ(sample(total, "", {{"method", "GET"}, {"route", "/events/{key}"}, {"status", "200"}}), 4000);
  EXPECT_EQ(sample(total, "", {{"method", "POST"}, {"route", "/api/v1/events/{key}/registrations"}, {"status", "418"}}), 4);
  EXPECT_EQ(sample(total, "", {{"method", "any"}, {"route", "(unmatched)"}, {"status", "404"}}), 2);
  EXPECT_EQ(total.samples.size(), 3u);  // nothing for statuses never seen
  const auto& seconds = families[1];
  EXPECT_EQ(seconds.type, "histogram");
  EXPECT_EQ(sample(seconds, "_count", {{"method", "GET"}, {"route", "/events/{key}"}}), 4000);
  EXPECT_EQ(sample(seconds, "_bucket", {{"method", "POST"}, {"route", "/api/v1/events/{key}/registrations"}, {"le", "0.1"}}), 0);
  EXPECT_EQ(sample(seconds, "_bucket", {{"method", "POST"}, {"route", "/api/v1/events/{key}/registrations"}, {"le", "0.25"}}), 4);
}

TEST(RegistrationBatchMetrics, SizesTimesAndFailures) {
  RegistrationBatchMetrics m;
  m.observe(64, 0.004, true);
  m.observe(1, 0.002, true);
  m.observe(3, 0.5, false);
  const auto f = m.families();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(sample(f[0], "_sum", {}), 68);
  EXPECT_EQ(sample(f[0], "_bucket", {{"le", "4"}}), 2);
  EXPECT_EQ(sample(f[1], "_count", {}), 3);
  EXPECT_EQ(sample(f[2], "", {}), 1);
}

}  // namespace
}  // namespace marquee
