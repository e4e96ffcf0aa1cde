#include "app/no_show_report.hpp"

#include <algorithm>
#include <map>

#include "core/datetime_text.hpp"
#include "core/event_operations.hpp"
#include "core/time_zone.hpp"

namespace marquee {

std::vector<EventNoShows> NoShowReport::events(UnixSeconds from, UnixSeconds to) const {
  return store_.no_show_figures(from, to, clock_.now());
}

std::vector<EventNoShows> NoShowReport::events(const InsightRange& range, const std::string& zone) const {
  const std::string z = zone.empty() ? "UTC" : zone;
  auto day = [](const std::string& ymd) {
    DateTimeText t;
    t.year = std::stoi(ymd.substr(0, 4));
    t.month = std::stoi(ymd.substr(5, 2));
    t.day = std::stoi(ymd.substr(8, 2));
    return t;
  };
  return events(to_utc(day(range.from), z), to_utc(add_days(day(range.to), 1), z));
}

std::vector<CategoryNoShows> NoShowReport::categories(const std::vector<EventNoShows>& events) {
  std::map<std::string, NoShowFigures> sums;
  for (const auto& e : events) sums[e.category.empty() ? "(none)" : e.category] += e.figures;
  std::vector<CategoryNoShows> out;
  for (auto& [name, f] : sums) out.push_back(CategoryNoShows{name, f});
  std::stable_sort(out.begin(), out.end(), [](const CategoryNoShows& a, const CategoryNoShows& b) {
    return a.figures.expected() > b.figures.expected();
  });
  return out;
}

std::optional<EventRisk> NoShowReport::risk(const std::string& key) const {
  const auto event = store_.find_event(key);
  if (!event || !event->capacity) return std::nullopt;
  const auto limit = place_limit(event->capacity, store_.event_operations(key).overbook_percent);
  const UnixSeconds now = clock_.now();
  NoShowFigures same, all;
  // Events that started at least a day ago (everyone who came has come) and used the door (an event
  // nobody was checked in at says nothing about who came: every holder would count as a no-show).
  for (const auto& e : store_.no_show_figures(now - kRiskHistorySeconds, now - 86400 + 1, now)) {
    if (e.event_key == key || e.figures.checked_in == 0) continue;
    all += e.figures;
    if (e.category == event->category) same += e.figures;
  }
  const bool by_category = !event->category.empty() && same.expected() >= kMinRiskHistory;
  const auto r = overbooking_risk(*event->capacity, *limit, by_category ? same : all);
  if (!r) return std::nullopt;
  EventRisk out;
  static_cast<OverbookingRisk&>(out) = *r;
  out.scope = by_category ? "category '" + event->category + "'" : "all events";
  return out;
}

}  // namespace marquee
