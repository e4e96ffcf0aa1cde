#pragma once
// Metric families as the Prometheus text exposition format 0.0.4 writes them
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include <string>
#include <vector>

#include "app/metrics.hpp"

namespace marquee {

/// The Content-Type of that format: "text/plain; version=0.0.4; charset=utf-8".
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Each family as "# HELP", "# TYPE" and one line per sample
/// (name+suffix{label="value",…} value), in the order given. HELP text
/// escapes '\' and newline; label values also '"'. Family names and label
/// names must already be valid ([a-zA-Z_:][a-zA-Z0-9_:]*): std::invalid_argument otherwise.
std::string prometheus_text(const std::vector<MetricFamily>& families);

}  // namespace marquee
