#include "adapters/http/prometheus_text.hpp"

#include <gtest/gtest.h>

namespace marquee {
namespace {

TEST(PrometheusText, WritesHelpTypeAndSamplesWithEscapes) {
  MetricFamily f{"marquee_things_total", "Things\nwith a back\\slash", "counter", {}};
  f.samples.push_back({"", {{"route", "/events/{key}"}, {"note", "say \"hi\"\\\n"}}, 3});
  f.samples.push_back({"", {}, 0.25});
  EXPECT_EQ(prometheus_text({f}),
            "# HELP marquee_things_total Things\\nwith a back\\\\slash\n"
            "# TYPE marquee_things_total counter\n"
            "marquee_things_total{route=\"/events/{key}\",note=\"say \\\"hi\\\"\\\\\\n\"} 3\n"
            "marquee_things_total 0.25\n");
}

TEST(PrometheusText, RefusesInvalidNames) {
  EXPECT_THROW(prometheus_text({MetricFamily{"9lives", "", "gauge", {}}}), std::invalid_argument);
  EXPECT_THROW(prometheus_text({MetricFamily{"has-dash", "", "gauge", {}}}), std::invalid_argument);
  MetricFamily bad_label{"ok_name", "", "gauge", {{"", {{"__reserved", "x"}}, 1}}};
  EXPECT_THROW(prometheus_text({bad_label}), std::invalid_argument);
  MetricFamily colon_label{"ok:name", "", "gauge", {{"", {{"a:b", "x"}}, 1}}};
  EXPECT_THROW(prometheus_text({colon_label}), std::invalid_argument);  // colons only in metric names
  EXPECT_NO_THROW(prometheus_text({MetricFamily{"ok:name", "", "gauge", {{"", {{"a_b", "x"}}, 1}}}}));
}

TEST(MetricNumber, ShortestTextThatReadsBack) {
  EXPECT_EQ(metric_number(12), "12");
  EXPECT_EQ(metric_number(0.005), "0.005");
  EXPECT_EQ(metric_number(2.5), "2.5");
  EXPECT_EQ(metric_number(1.0 / 0.0), "+Inf");
  EXPECT_EQ(metric_number(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(metric_number(0.0 / 0.0), "NaN");
  EXPECT_EQ(std::stod(metric_number(0.1 + 0.2)), 0.1 + 0.2);
}

}  // namespace
}  // namespace marquee
