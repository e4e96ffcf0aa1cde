#pragma once
// The insights figures as tables: the same columns in the console, the CSV
// downloads and the JSON API (docs/analytics.md lists them).
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "app/insights.hpp"
#include "app/no_show_report.hpp"
#include "app/partner_reports.hpp"

namespace marquee {

struct InsightTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;  ///< per column: a number (JSON number; "" = null)
  std::vector<std::vector<std::string>> rows;
};

/// key, title, category, venue, views, unique_visitors, calendar_saves,
/// outbound_clicks, registrations, converted_visitors, conversion_rate
/// (registrations per view, 4 decimals), capacity, confirmed, fill_rate
/// (confirmed per capacity now, 4 decimals), impressions, placement_clicks.
InsightTable events_table(const std::vector<EventInsight>& events);
/// term, filters, searches, zero_result_searches, most_results.
InsightTable searches_table(const std::vector<AnalyticsSearch>& searches);
/// bucket (local "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"), start (UTC RFC 3339),
/// views, unique_visitors ("" by hour), calendar_saves, outbound_clicks,
/// registrations, searches.
InsightTable timeseries_table(const std::vector<TimePoint>& points);
/// `name_column` ("category" or "venue"), events, views, unique_visitors,
/// calendar_saves, outbound_clicks, registrations.
InsightTable groups_table(const std::vector<GroupInsight>& groups, const std::string& name_column);

/// A partner's report, one row per placement and day: date, placement_id,
/// slot, event_key, event_title, impressions, clicks, unique_clicks, ctr
/// (unique clicks per impression, 4 decimals, "" without impressions),
/// attributed_registrations, attributed_calendar_saves,
/// attributed_outbound_clicks (app/partner_reports.hpp kAttributionRule).
InsightTable partner_report_table(const PartnerReport& report);

/// The rows as JSON objects keyed by column name (numbers as numbers, "" as null).
/// key, title, category, venue, starts_at (RFC 3339 in `zone`), registered,
/// reconfirmed, released, cancelled, checked_in, no_shows, no_show_rate
/// (no-shows per place held at the start, 4 decimals; "" when none).
InsightTable no_shows_table(const std::vector<EventNoShows>& events, const std::string& zone);
/// category, events, then the figures as in no_shows_table.
InsightTable no_show_categories_table(const std::vector<CategoryNoShows>& categories);

boost::json::array table_json(const InsightTable& table);

}  // namespace marquee
