#include "app/insights.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/time_zone.hpp"

namespace marquee {
namespace {

constexpr int kMaxRangeDays = 366;

std::optional<DateTimeText> parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto d = parse_datetime_text(s, DateOrder::ymd);
  if (!d || d->has_time) return std::nullopt;
  return d;
}

std::string day_text(const DateTimeText& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Adds a count to the figure of `t` (an EventInsight or a TimePoint) its kind names.
template <typename Figures>
void add_count(Figures& t, SignalKind kind, std::int64_t n) {
  switch (kind) {
    case SignalKind::view: t.views += n; break;
    case SignalKind::calendar_save: t.calendar_saves += n; break;
    case SignalKind::outbound_click: t.outbound_clicks += n; break;
    case SignalKind::registration: t.registrations += n; break;
    default:
      if constexpr (requires { t.impressions; }) {
        if (kind == SignalKind::impression) t.impressions += n;
        if (kind == SignalKind::click) t.placement_clicks += n;
      } else {
        if (kind == SignalKind::search) t.searches += n;
      }
  }
}

}  // namespace

std::optional<InsightRange> parse_insight_range(const std::string& from, const std::string& to, const std::string& today,
                                                std::string* error) {
  const std::string end = to.empty() ? today : to;
  auto end_day = parse_day(end);
  if (!end_day) {
    *error = "to must be a date written YYYY-MM-DD, e.g. 2026-06-12";
    return std::nullopt;
  }
  std::string start = from.empty() ? day_text(add_days(*end_day, -6)) : from;
  auto start_day = parse_day(start);
  if (!start_day) {
    *error = "from must be a date written YYYY-MM-DD, e.g. 2026-06-06";
    return std::nullopt;
  }
  if (start > end) {
    *error = "from (" + start + ") is after to (" + end + ")";
    return std::nullopt;
  }
  if (day_text(add_days(*start_day, kMaxRangeDays - 1)) < end) {
    *error = "a range is at most 366 days; from " + start + " to " + end + " is longer";
    return std::nullopt;
  }
  return InsightRange{start, end};
}

std::vector<std::string> days_of(const InsightRange& r) {
  std::vector<std::string> out;
  auto d = *parse_day(r.from);
  for (int i = 0; i < kMaxRangeDays; ++i, d = add_days(d, 1)) {
    out.push_back(day_text(d));
    if (out.back() >= r.to) break;
  }
  return out;
}

std::size_t days_in(const InsightRange& r) { return days_of(r).size(); }

std::optional<double> EventInsight::conversion() const {
  if (views <= 0) return std::nullopt;
  return static_cast<double>(registrations) / static_cast<double>(views);
}

std::optional<double> EventInsight::fill_rate() const {
  if (!capacity || !confirmed || *capacity <= 0) return std::nullopt;
  return static_cast<double>(*confirmed) / static_cast<double>(*capacity);
}

Insights::Insights(AnalyticsStore& store, EventLookup events, ConfirmedCount confirmed, ZoneOf zone)
    : store_(store), events_(std::move(events)), confirmed_(std::move(confirmed)), zone_(std::move(zone)) {}

std::vector<EventInsight> Insights::events(const InsightRange& r) const {
  std::map<std::string, EventInsight> by_key;
  for (const auto& c : store_.analytics_counts(r.from, r.to, false)) {
    if (c.event_key.empty()) continue;
    add_count(by_key[c.event_key], c.kind, c.count);
  }
  for (const auto& u : store_.analytics_uniques(r.from, r.to)) {
    auto it = by_key.find(u.subject);
    if (it == by_key.end()) continue;
    it->second.unique_visitors += u.visitors;
    it->second.converted += u.converted;
  }
  std::vector<EventInsight> out;
  for (auto& [key, e] : by_key) {
    e.key = key;
    if (auto ev = events_ ? events_(key) : std::nullopt) {
      e.title = ev->title;
      e.category = ev->category;
      e.venue = ev->venue;
      if (ev->registration && ev->capacity) e.capacity = *ev->capacity;
    }
    if (confirmed_) e.confirmed = confirmed_(key);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const EventInsight& a, const EventInsight& b) { return a.views > b.views; });
  return out;
}

std::vector<AnalyticsSearch> Insights::searches(const InsightRange& r, int limit, bool zero_only) const {
  return store_.analytics_searches(r.from, r.to, limit, zero_only);
}

std::vector<TimePoint> Insights::timeseries(const InsightRange& r, bool by_hour) const {
  const std::string zone = zone_ ? zone_() : std::string("UTC");
  std::vector<TimePoint> points;
  std::map<std::string, std::size_t> index;  // bucket text → point
  for (const auto& day : days_of(r)) {
    const UnixSeconds start = to_utc(*parse_day(day), zone);
    const UnixSeconds end = to_utc(add_days(*parse_day(day), 1), zone);
    if (!by_hour) {
      index[day] = points.size();
      points.push_back(TimePoint{day, start});
      continue;
    }
    for (UnixSeconds h = start; h < end; h += 3600) {
      index[std::to_string(h)] = points.size();
      const LocalTime local = to_local(h, zone);
      points.push_back(TimePoint{local.date + " " + local.time, h});
    }
  }
  for (const auto& c : store_.analytics_counts(r.from, r.to, by_hour)) {
    auto it = index.find(c.bucket);
    if (it == index.end()) continue;  // an hour of a zone no longer used
    add_count(points[it->second], c.kind, c.count);
  }
  if (!by_hour) {
    for (auto& p : points) p.unique_visitors = 0;
    for (const auto& u : store_.analytics_uniques(r.from, r.to))
      if (u.subject.empty())
        if (auto it = index.find(u.day); it != index.end()) *points[it->second].unique_visitors += u.visitors;
  }
  return points;
}

std::vector<GroupInsight> Insights::groups(const std::vector<EventInsight>& events, bool by_venue) {
  std::map<std::string, GroupInsight> by_name;
  for (const auto& e : events) {
    std::string name = by_venue ? e.venue : e.category;
    if (name.empty()) name = "(none)";
    GroupInsight& g = by_name[name];
    g.name = name;
    ++g.events;
    g.views += e.views;
    g.unique_visitors += e.unique_visitors;
    g.calendar_saves += e.calendar_saves;
    g.outbound_clicks += e.outbound_clicks;
    g.registrations += e.registrations;
  }
  std::vector<GroupInsight> out;
  for (auto& [name, g] : by_name) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const GroupInsight& a, const GroupInsight& b) { return a.views > b.views; });
  return out;
}

InsightTotals Insights::totals(const InsightRange& r) const {
  InsightTotals t;
  for (const auto& c : store_.analytics_counts(r.from, r.to, false)) {
    switch (c.kind) {
      case SignalKind::view: t.views += c.count; break;
      case SignalKind::outbound_click: t.outbound_clicks += c.count; break;
      case SignalKind::registration: t.registrations += c.count; break;
      case SignalKind::search: t.searches += c.count; break;
      case SignalKind::dropped:
        if (c.detail == "visitor_id") t.dropped_visitor_ids += c.count;
        else t.dropped_search_terms += c.count;
        break;
      case SignalKind::calendar_save: t.calendar_saves += c.count; break;
      default: break;
    }
  }
  for (const auto& u : store_.analytics_uniques(r.from, r.to)) {
    if (u.subject.empty()) t.unique_visitors += u.visitors;
    else if (u.subject.starts_with("feed:")) t.feed_subscribers += u.visitors;
  }
  t.calendar_saves += t.feed_subscribers;
  t.zero_result_searches = store_.analytics_zero_result_searches(r.from, r.to);
  return t;
}

}  // namespace marquee
