#include "adapters/web/console/insights_console.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "adapters/render/insight_tables.hpp"
#include "adapters/web/console/console_page.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr std::size_t kTopEvents = 50, kTopSearches = 30;

std::string percent(const std::string& ratio) {
  if (ratio.empty()) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", std::stod(ratio) * 100);
  return buf;
}

struct Column {
  std::size_t index;  // in the InsightTable
  const char* label;
  bool as_percent = false;
};

// One table of the page: the chosen columns of `t`, its first `limit` rows.
TemplateData table_data(const std::string& id, const std::string& title, const InsightTable& t,
                        const std::vector<Column>& columns, std::size_t limit, const std::string& csv_href,
                        const std::string& empty) {
  TemplateData d{object{}};
  d.set("id", id);
  d.set("title", title);
  d.set("csv_href", csv_href);
  set_text(d, "empty", t.rows.empty() ? empty : "");
  TemplateData header{list{}};
  for (const auto& c : columns) {
    TemplateData h{object{}};
    h.set("label", std::string(c.label));
    h.set("numeric", t.numeric[c.index]);
    header.push_back(h);
  }
  d.set("header", header);
  TemplateData rows{list{}};
  for (std::size_t i = 0; i < t.rows.size() && i < limit; ++i) {
    TemplateData cells{list{}};
    for (const auto& c : columns) {
      TemplateData cell{object{}};
      const std::string& v = t.rows[i][c.index];
      cell.set("value", c.as_percent ? percent(v) : v.empty() ? std::string("–") : v);
      cell.set("numeric", t.numeric[c.index]);
      cells.push_back(cell);
    }
    TemplateData row{object{}};
    row.set("cells", cells);
    rows.push_back(row);
  }
  d.set("rows", rows);
  d.set("has_rows", !t.rows.empty());
  d.set("more", t.rows.size() > limit);
  d.set("total", std::to_string(t.rows.size()));
  return d;
}

// The chart's series as JSON for static/insights.js: x in UTC seconds.
std::string chart_json(const std::vector<TimePoint>& points, bool by_hour, const std::string& zone) {
  boost::json::array x, views, uniques, saves, clicks, regs;
  for (const auto& p : points) {
    x.push_back(p.at);
    views.push_back(p.views);
    if (p.unique_visitors) uniques.push_back(*p.unique_visitors);
    else uniques.push_back(nullptr);
    saves.push_back(p.calendar_saves);
    clicks.push_back(p.outbound_clicks);
    regs.push_back(p.registrations);
  }
  boost::json::object o{{"zone", zone}, {"by_hour", by_hour}, {"x", x}};
  boost::json::array series;
  auto add = [&](const char* label, boost::json::array& values) {
    series.push_back(boost::json::object{{"label", label}, {"values", values}});
  };
  add("Views", views);
  if (!by_hour) add("Unique visitors", uniques);
  add("Calendar saves", saves);
  add("Outbound clicks", clicks);
  add("Registrations", regs);
  o["series"] = series;
  return boost::json::serialize(o);
}

}  // namespace

InsightsConsole::InsightsConsole(SiteRef site, const Insights& insights, const NoShowReport& no_shows, const Clock& clock,
                                 ZoneOf zone, const AnalyticsRecorder* recorder)
    : site_(std::move(site)), insights_(insights), no_shows_(no_shows), clock_(clock), zone_(std::move(zone)), recorder_(recorder) {}

void InsightsConsole::add_routes(Router& router) {
  router.add(Route{"GET", "/admin/insights", Access::console, [this](const Request& r, const PathParams&) { return page(r); },
                   true, Capability::view});
}

Response InsightsConsole::page(const Request& req) const {
  const ConsoleUser user = console_user(req);
  std::string zone = zone_ ? zone_() : std::string();
  if (zone.empty()) zone = "UTC";
  const std::string today = to_local(clock_.now(), zone).date;
  std::string error;
  auto range = parse_insight_range(req.param("from"), req.param("to"), today, &error);
  TemplateData d = console_data(user);
  set_text(d, "error", range ? "" : error);
  if (!range) range = parse_insight_range("", "", today, &error);
  const bool by_hour = req.param("interval") == "hour" && range->from == range->to;
  d.set("from", range->from);
  d.set("to", range->to);
  d.set("today", today);
  d.set("zone", zone);
  d.set("by_hour", by_hour);
  d.set("single_day", range->from == range->to);
  d.set("analytics_off", recorder_ == nullptr);
  const std::string query = "?from=" + range->from + "&to=" + range->to;

  const InsightTotals totals = insights_.totals(*range);
  TemplateData cards{list{}};
  for (const auto& [label, value] : std::vector<std::pair<const char*, std::int64_t>>{
           {"Views", totals.views},
           {"Unique visitors", totals.unique_visitors},
           {"Calendar saves", totals.calendar_saves},
           {"Outbound clicks", totals.outbound_clicks},
           {"Registrations", totals.registrations},
           {"Searches", totals.searches},
           {"Searches with no results", totals.zero_result_searches}}) {
    TemplateData c{object{}};
    c.set("label", std::string(label));
    c.set("value", std::to_string(value));
    cards.push_back(c);
  }
  d.set("cards", cards);
  d.set("dropped", totals.dropped_visitor_ids + totals.dropped_search_terms > 0);
  d.set("dropped_visitor_ids", std::to_string(totals.dropped_visitor_ids));
  d.set("dropped_search_terms", std::to_string(totals.dropped_search_terms));
  d.set("feed_subscribers", std::to_string(totals.feed_subscribers));

  const auto points = insights_.timeseries(*range, by_hour);
  d.set("chart_json", chart_json(points, by_hour, zone));
  const auto events = insights_.events(*range);
  const std::string api = "/api/v1/admin/insights/";
  TemplateData tables{list{}};
  tables.push_back(table_data("events", "Top events", events_table(events),
                              {{1, "Event"}, {4, "Views"}, {5, "Unique visitors"}, {6, "Calendar saves"}, {7, "Outbound clicks"},
                               {8, "Registrations"}, {10, "Conversion", true}, {13, "Fill rate", true}},
                              kTopEvents, api + "events.csv" + query, "No event was viewed in these days."));
  tables.push_back(table_data("searches", "Top searches", searches_table(insights_.searches(*range, kTopSearches, false)),
                              {{0, "Search"}, {1, "Filters"}, {2, "Searches"}, {3, "No results"}}, kTopSearches,
                              api + "searches.csv" + query, "Nobody searched in these days."));
  tables.push_back(table_data("zero-searches", "Searches that found nothing",
                              searches_table(insights_.searches(*range, kTopSearches, true)),
                              {{0, "Search"}, {1, "Filters"}, {3, "Times"}}, kTopSearches,
                              api + "searches.csv" + query + "&zero=1", "Every search found something."));
  for (bool venue : {false, true})
    tables.push_back(table_data(venue ? "venues" : "categories", venue ? "Venues" : "Categories",
                                groups_table(Insights::groups(events, venue), venue ? "venue" : "category"),
                                {{0, venue ? "Venue" : "Category"}, {1, "Events"}, {2, "Views"}, {3, "Unique visitors"},
                                 {4, "Calendar saves"}, {6, "Registrations"}},
                                1000, api + (venue ? "venues.csv" : "categories.csv") + query, "Nothing in these days."));
  // No-shows of the events that started in these days (registrations, not visits: counted with analytics off too).
  const auto no_shows = no_shows_.events(*range, zone);
  tables.push_back(table_data("no-shows", "No-shows by event", no_shows_table(no_shows, zone),
                              {{1, "Event"}, {5, "Registered"}, {6, "Reconfirmed"}, {7, "Released"}, {8, "Cancelled"},
                               {9, "Checked in"}, {10, "No-shows"}, {11, "No-show rate", true}},
                              1000, api + "no-shows.csv" + query, "No event with registrations started in these days."));
  tables.push_back(table_data("no-show-categories", "No-shows by category",
                              no_show_categories_table(NoShowReport::categories(no_shows)),
                              {{0, "Category"}, {1, "Events"}, {2, "Registered"}, {3, "Reconfirmed"}, {4, "Released"},
                               {5, "Cancelled"}, {6, "Checked in"}, {7, "No-shows"}, {8, "No-show rate", true}},
                              1000, api + "no-show-categories.csv" + query, "No event with registrations started in these days."));
  tables.push_back(table_data("timeseries", by_hour ? "Hour by hour" : "Day by day", timeseries_table(points),
                              {{0, by_hour ? "Hour" : "Day"}, {2, "Views"}, {3, "Unique visitors"}, {4, "Calendar saves"},
                               {5, "Outbound clicks"}, {6, "Registrations"}, {7, "Searches"}},
                              10000, api + "timeseries.csv" + query + (by_hour ? "&interval=hour" : ""), ""));
  d.set("tables", tables);
  return console_page(site_, user, range && error.empty() ? 200 : 400, "Insights", "insights", "admin_insights", d);
}

}  // namespace marquee
