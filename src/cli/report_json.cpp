#include "cli/report_json.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace marquee {

std::string report_json(const ImportReport& r) {
  boost::json::array issues;
  for (const auto& i : r.issues)
    issues.push_back(boost::json::object{{"line", i.line},
                                         {"field", i.field},
                                         {"severity", i.severity == Severity::error ? "error" : "warning"},
                                         {"message", i.message},
                                         {"key", i.key}});
  boost::json::object o{{"file", r.file},         {"format", r.format},       {"dry_run", r.dry_run},
                        {"ok", r.ok()},            {"fatal", r.fatal},         {"records", r.records},
                        {"accepted", r.accepted},  {"rejected", r.rejected},   {"inserted", r.inserted},
                        {"updated", r.updated},    {"unchanged", r.unchanged}, {"errors", r.error_count()},
                        {"warnings", r.warning_count()}};
  o["issues"] = std::move(issues);
  return boost::json::serialize(o) + "\n";
}

}  // namespace marquee
