#include "core/analytics_batch.hpp"

namespace marquee {

int visitor_flag(SignalKind kind) {
  switch (kind) {
    case SignalKind::view: return kVisitorViewed;
    case SignalKind::calendar_save: return kVisitorSaved;
    case SignalKind::outbound_click: return kVisitorClicked;
    case SignalKind::registration: return kVisitorRegistered;
    case SignalKind::search: return kVisitorSearched;
    case SignalKind::impression: return kVisitorSawPlacement;
    case SignalKind::click: return kVisitorClickedPlacement;
    case SignalKind::feed_fetch: return kVisitorFetchedFeed;
    case SignalKind::dropped: return 0;
  }
  return 0;
}

void AnalyticsBatch::drop(const char* what, const AnalyticsHour& at, std::int64_t n) {
  add_count(CountKey{at.hour, at.day, SignalKind::dropped, "", "", what}, n);
}

void AnalyticsBatch::add_search(const SearchKey& k, const SearchCount& c, const AnalyticsHour& at) {
  auto it = searches_.find(k);
  if (it == searches_.end() && searches_.size() >= limits_.searches) {
    // Full: the term and filters go, the search itself is still counted.
    drop("search_term", at, c.searches);
    SearchKey anonymous{k.hour, k.day, "", ""};
    it = searches_.find(anonymous);
    if (it == searches_.end()) it = searches_.emplace(anonymous, SearchCount{}).first;
  } else if (it == searches_.end()) {
    it = searches_.emplace(k, SearchCount{}).first;
  }
  it->second.searches += c.searches;
  it->second.zero_results += c.zero_results;
  it->second.results = c.results;
}

void AnalyticsBatch::add_visitor(const VisitorKey& k, int flags, const AnalyticsHour& at) {
  auto it = visitors_.find(k);
  if (it != visitors_.end()) {
    it->second |= flags;
    return;
  }
  if (visitors_.size() >= limits_.visitors) {
    drop("visitor_id", at);
    return;
  }
  visitors_.emplace(k, flags);
}

void AnalyticsBatch::add(const Signal& s, const AnalyticsHour& at) {
  if (s.kind == SignalKind::search) {
    add_count(CountKey{at.hour, at.day, s.kind, "", s.slot, ""}, 1);
    add_search(SearchKey{at.hour, at.day, s.search_term, s.search_filters}, SearchCount{1, s.results == 0 ? 1 : 0, s.results},
               at);
  } else {
    add_count(CountKey{at.hour, at.day, s.kind, s.event_key, s.slot, s.detail}, 1);
  }
  if (s.visitor.empty() || s.kind == SignalKind::dropped) return;
  const int flag = visitor_flag(s.kind);
  add_visitor(VisitorKey{at.day, "", s.visitor}, flag, at);
  if (s.kind == SignalKind::feed_fetch) add_visitor(VisitorKey{at.day, "feed:" + s.detail, s.visitor}, flag, at);
  else if (!s.event_key.empty()) add_visitor(VisitorKey{at.day, s.event_key, s.visitor}, flag, at);
}

void AnalyticsBatch::merge(const AnalyticsBatch& other, const AnalyticsHour& now) {
  for (const auto& [k, n] : other.counts_) add_count(k, n);
  for (const auto& [k, c] : other.searches_) add_search(k, c, now);
  for (const auto& [k, flags] : other.visitors_) add_visitor(k, flags, now);
}

}  // namespace marquee
