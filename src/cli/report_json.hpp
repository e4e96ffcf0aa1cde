#pragma once
// JSON form of an import report (for --report json).
#include <string>

#include "core/import_report.hpp"

namespace marquee {

/// {"file","format","dry_run","ok","fatal","records","accepted","rejected",
///  "inserted","updated","unchanged","errors","warnings",
///  "issues":[{"line","field","severity","message","key"}]}
std::string report_json(const ImportReport& r);

}  // namespace marquee
