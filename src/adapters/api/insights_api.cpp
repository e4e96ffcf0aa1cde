#include "adapters/api/insights_api.hpp"

#include <algorithm>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

constexpr int kMaxHourlyDays = 31;

Response invalid(const Request& req, const std::string& detail) {
  return problem(400, "/problems/invalid-parameter", "Invalid query parameter", detail, req.path);
}

}  // namespace

InsightsApi::InsightsApi(const Insights& insights, const NoShowReport& no_shows, const Clock& clock, ZoneOf zone)
    : insights_(insights), no_shows_(no_shows), clock_(clock), zone_(std::move(zone)) {}

std::string InsightsApi::today() const {
  const std::string z = zone_ ? zone_() : std::string("UTC");
  return to_local(clock_.now(), z.empty() ? "UTC" : z).date;
}

Response InsightsApi::answer(const Request& req, const std::string& name) const {
  const bool csv = req.path.ends_with(".csv");
  std::string error;
  const auto range = parse_insight_range(req.param("from"), req.param("to"), today(), &error);
  if (!range) return invalid(req, error);
  InsightTable table;
  if (name == "events") {
    table = events_table(insights_.events(*range));
  } else if (name == "searches") {
    int limit = 100;
    if (!req.param("limit").empty()) {
      try {
        limit = std::stoi(req.param("limit"));
      } catch (const std::exception&) {
        limit = 0;
      }
      if (limit < 1 || limit > 1000) return invalid(req, "limit must be a whole number from 1 to 1000");
    }
    const std::string zero = req.param("zero");
    if (!zero.empty() && zero != "1" && zero != "0") return invalid(req, "zero must be 1 (only searches that found nothing) or 0");
    table = searches_table(insights_.searches(*range, limit, zero == "1"));
  } else if (name == "timeseries") {
    const std::string interval = req.param("interval").empty() ? "day" : req.param("interval");
    if (interval != "day" && interval != "hour") return invalid(req, "interval must be day or hour");
    if (interval == "hour" && days_in(*range) > kMaxHourlyDays)
      return invalid(req, "by hour, a range is at most 31 days; choose interval=day for longer ones");
    table = timeseries_table(insights_.timeseries(*range, interval == "hour"));
  } else if (name == "no-shows" || name == "no-show-categories") {
    const std::string z = zone_ && !zone_().empty() ? zone_() : std::string("UTC");
    const auto events = no_shows_.events(*range, z);
    table = name == "no-shows" ? no_shows_table(events, z) : no_show_categories_table(NoShowReport::categories(events));
  } else {
    table = groups_table(Insights::groups(insights_.events(*range), name == "venues"), name == "venues" ? "venue" : "category");
  }
  if (csv) {
    std::string body = csv_record(table.header);
    for (const auto& row : table.rows) body += csv_record(row);
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::make_shared<const std::string>(std::move(body));
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"insights-" + name + "-" + range->from + "-" + range->to + ".csv\"");
    return r;
  }
  const std::string z = zone_ ? zone_() : std::string("UTC");
  std::string member = name;  // "no-shows" → "no_shows"
  std::replace(member.begin(), member.end(), '-', '_');
  Response r = json_response(200, {{"from", range->from},
                                   {"to", range->to},
                                   {"time_zone", z.empty() ? "UTC" : z},
                                   {"unique_visitors", "exact per day; over several days the sum of the days"},
                                   {member, table_json(table)}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

void InsightsApi::add_routes(Router& router) {
  for (const char* name : {"events", "searches", "timeseries", "categories", "venues", "no-shows", "no-show-categories"})
    for (const char* suffix : {"", ".csv"})
      router.add(Route{"GET", std::string("/api/v1/admin/insights/") + name + suffix, Access::staff,
                       [this, name = std::string(name)](const Request& r, const PathParams&) { return answer(r, name); },
                       true, Capability::view});
}

}  // namespace marquee
