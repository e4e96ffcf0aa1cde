#include "adapters/render/insight_tables.hpp"

#include <cstdio>

#include "core/time_zone.hpp"

namespace marquee {
namespace {

std::string num(std::int64_t n) { return std::to_string(n); }
std::string opt_num(const std::optional<std::int64_t>& n) { return n ? std::to_string(*n) : std::string(); }
std::string ratio(const std::optional<double>& r) {
  if (!r) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *r);
  return buf;
}

InsightTable table(std::vector<std::string> header, std::vector<bool> numeric) {
  InsightTable t;
  t.header = std::move(header);
  t.numeric = std::move(numeric);
  return t;
}

}  // namespace

InsightTable events_table(const std::vector<EventInsight>& events) {
  InsightTable t = table({"key", "title", "category", "venue", "views", "unique_visitors", "calendar_saves", "outbound_clicks",
                          "registrations", "converted_visitors", "conversion_rate", "capacity", "confirmed", "fill_rate",
                          "impressions", "placement_clicks"},
                         {false, false, false, false, true, true, true, true, true, true, true, true, true, true, true, true});
  for (const auto& e : events)
    t.rows.push_back({e.key, e.title, e.category, e.venue, num(e.views), num(e.unique_visitors), num(e.calendar_saves),
                      num(e.outbound_clicks), num(e.registrations), num(e.converted), ratio(e.conversion()),
                      opt_num(e.capacity), opt_num(e.confirmed), ratio(e.fill_rate()), num(e.impressions),
                      num(e.placement_clicks)});
  return t;
}

InsightTable searches_table(const std::vector<AnalyticsSearch>& searches) {
  InsightTable t = table({"term", "filters", "searches", "zero_result_searches", "most_results"}, {false, false, true, true, true});
  for (const auto& s : searches) t.rows.push_back({s.term, s.filters, num(s.searches), num(s.zero_results), num(s.results)});
  return t;
}

InsightTable timeseries_table(const std::vector<TimePoint>& points) {
  InsightTable t = table({"bucket", "start", "views", "unique_visitors", "calendar_saves", "outbound_clicks", "registrations",
                          "searches"},
                         {false, false, true, true, true, true, true, true});
  for (const auto& p : points)
    t.rows.push_back({p.label, format_utc(p.at), num(p.views), opt_num(p.unique_visitors), num(p.calendar_saves),
                      num(p.outbound_clicks), num(p.registrations), num(p.searches)});
  return t;
}

InsightTable groups_table(const std::vector<GroupInsight>& groups, const std::string& name_column) {
  InsightTable t = table({name_column, "events", "views", "unique_visitors", "calendar_saves", "outbound_clicks", "registrations"},
                         {false, true, true, true, true, true, true});
  for (const auto& g : groups)
    t.rows.push_back({g.name, num(g.events), num(g.views), num(g.unique_visitors), num(g.calendar_saves),
                      num(g.outbound_clicks), num(g.registrations)});
  return t;
}

namespace {

std::vector<std::string> figure_cells(const NoShowFigures& f) {
  return {num(f.registered), num(f.reconfirmed), num(f.released), num(f.cancelled), num(f.checked_in), num(f.no_shows),
          ratio(f.no_show_rate())};
}

}  // namespace

InsightTable no_shows_table(const std::vector<EventNoShows>& events, const std::string& zone) {
  InsightTable t = table({"key", "title", "category", "venue", "starts_at", "registered", "reconfirmed", "released", "cancelled",
                          "checked_in", "no_shows", "no_show_rate"},
                         {false, false, false, false, false, true, true, true, true, true, true, true});
  for (const auto& e : events) {
    std::vector<std::string> row{e.event_key, e.title, e.category, e.venue, format_rfc3339(e.starts_at, zone)};
    for (auto& c : figure_cells(e.figures)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

InsightTable no_show_categories_table(const std::vector<CategoryNoShows>& categories) {
  InsightTable t = table({"category", "events", "registered", "reconfirmed", "released", "cancelled", "checked_in", "no_shows",
                          "no_show_rate"},
                         {false, true, true, true, true, true, true, true, true});
  for (const auto& c : categories) {
    std::vector<std::string> row{c.category, num(c.figures.events)};
    for (auto& cell : figure_cells(c.figures)) row.push_back(std::move(cell));
    t.rows.push_back(std::move(row));
  }
  return t;
}

boost::json::array table_json(const InsightTable& table) {
  boost::json::array out;
  for (const auto& row : table.rows) {
    boost::json::object o;
    for (std::size_t i = 0; i < table.header.size() && i < row.size(); ++i) {
      if (!table.numeric[i]) o[table.header[i]] = row[i];
      else if (row[i].empty()) o[table.header[i]] = nullptr;
      else if (row[i].find('.') != std::string::npos) o[table.header[i]] = std::stod(row[i]);
      else o[table.header[i]] = std::stoll(row[i]);
    }
    out.push_back(std::move(o));
  }
  return out;
}

InsightTable partner_report_table(const PartnerReport& report) {
  InsightTable t = table({"date", "placement_id", "slot", "event_key", "event_title", "impressions", "clicks", "unique_clicks",
                          "ctr", "attributed_registrations", "attributed_calendar_saves", "attributed_outbound_clicks"},
                         {false, true, false, false, false, true, true, true, true, true, true, true});
  for (const auto& p : report.placements)
    for (const auto& d : p.days)
      t.rows.push_back({d.day, num(p.placement.id), std::string(to_string(p.placement.slot)), p.placement.event_key,
                        p.event_title, num(d.impressions), num(d.clicks), num(d.unique_clicks), ratio(d.ctr()),
                        num(d.registrations), num(d.calendar_saves), num(d.outbound_clicks)});
  return t;
}

}  // namespace marquee
