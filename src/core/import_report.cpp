#include "core/import_report.hpp"

#include <algorithm>

namespace marquee {

std::int64_t ImportReport::error_count() const {
  return std::count_if(issues.begin(), issues.end(), [](const RowIssue& i) { return i.severity == Severity::error; });
}

std::int64_t ImportReport::warning_count() const {
  return std::count_if(issues.begin(), issues.end(), [](const RowIssue& i) { return i.severity == Severity::warning; });
}

}  // namespace marquee
