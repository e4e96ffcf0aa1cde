#pragma once
// What the analytics rollups say, shaped for the console's Insights page and
// the insights API (issue 16): per event, per search, over time, per
// category and venue, with conversion and fill rate. Read-only; days are
// local dates of the analytics time zone, both ends included.
//
// Unique visitors are exact per day. Over a longer range they are the sum of
// the days: a person who returns on another day counts again (the salt that
// makes visitor ids rotates daily, so two days' ids cannot be linked).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "ports/analytics_store.hpp"

namespace marquee {

/// A validated date range: from and to "YYYY-MM-DD", from <= to, at most 366 days.
struct InsightRange {
  std::string from, to;
};

/// Parses ?from= and ?to= (either may be empty: `to` defaults to `today`,
/// `from` to six days before `to`). Returns nullopt and sets `error` (a
/// sentence naming the parameter) for a malformed date, from after to, or
/// more than 366 days.
std::optional<InsightRange> parse_insight_range(const std::string& from, const std::string& to, const std::string& today,
                                                std::string* error);

/// Days of `r`, both ends included (1 for a single day).
std::size_t days_in(const InsightRange& r);
/// The days of `r` in order, "YYYY-MM-DD", both ends included.
std::vector<std::string> days_of(const InsightRange& r);

struct EventInsight {
  std::string key, title, category, venue;  ///< title etc. "" for an event no longer in the programme
  std::int64_t views = 0;
  std::int64_t unique_visitors = 0;  ///< sum over days of that day's distinct visitors of the event
  std::int64_t calendar_saves = 0;   ///< .ics downloads and Google/Outlook add-to-calendar clicks
  std::int64_t outbound_clicks = 0;
  std::int64_t registrations = 0;    ///< confirmed and waitlisted registrations made in the range
  std::int64_t converted = 0;        ///< visitors who viewed the event and registered the same day
  std::int64_t impressions = 0, placement_clicks = 0;
  std::optional<std::int64_t> capacity;   ///< the event's capacity (nullopt: unlimited or no registration)
  std::optional<std::int64_t> confirmed;  ///< confirmed places now (nullopt: not counted)
  /// Registrations per view, 0..1 (nullopt without views).
  std::optional<double> conversion() const;
  /// Confirmed places per capacity now, 0..1 (nullopt without both).
  std::optional<double> fill_rate() const;
};

/// Events summed per category or venue ("(none)" when the event has none).
struct GroupInsight {
  std::string name;
  std::int64_t events = 0, views = 0, unique_visitors = 0, calendar_saves = 0, outbound_clicks = 0, registrations = 0;
};

struct TimePoint {
  std::string label;  ///< "2026-06-12" or "2026-06-12 14:00" (local)
  UnixSeconds at = 0; ///< the instant the day or hour starts
  std::int64_t views = 0, calendar_saves = 0, outbound_clicks = 0, registrations = 0, searches = 0;
  std::optional<std::int64_t> unique_visitors;  ///< per day only
};

struct InsightTotals {
  std::int64_t views = 0, unique_visitors = 0, calendar_saves = 0, feed_subscribers = 0, outbound_clicks = 0,
               registrations = 0, searches = 0, zero_result_searches = 0;
  std::int64_t dropped_visitor_ids = 0, dropped_search_terms = 0;  ///< detail a full buffer dropped
};

class Insights {
 public:
  using EventLookup = std::function<std::optional<Event>(const std::string& key)>;
  using ConfirmedCount = std::function<std::optional<std::int64_t>(const std::string& key)>;
  using ZoneOf = std::function<std::string()>;
  Insights(AnalyticsStore& store, EventLookup events, ConfirmedCount confirmed, ZoneOf zone);

  /// Every event with a signal in the range, most viewed first (then by key).
  std::vector<EventInsight> events(const InsightRange& r) const;
  /// Searches by term and filters, most frequent first; `zero_only`: only those that found nothing.
  std::vector<AnalyticsSearch> searches(const InsightRange& r, int limit, bool zero_only) const;
  /// One point per day (or per hour when `by_hour`) of the range, empty ones included.
  std::vector<TimePoint> timeseries(const InsightRange& r, bool by_hour) const;
  /// Events summed by category (`by_venue` false) or venue, most viewed first.
  static std::vector<GroupInsight> groups(const std::vector<EventInsight>& events, bool by_venue);
  InsightTotals totals(const InsightRange& r) const;

 private:
  AnalyticsStore& store_;
  EventLookup events_;
  ConfirmedCount confirmed_;
  ZoneOf zone_;
};

}  // namespace marquee
