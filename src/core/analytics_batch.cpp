#include "core/analytics_batch.hpp"

#include <functional>
#include <string_view>

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

std::string placement_subject(std::string_view placement_id, std::string_view event_key) {
  return "placement:" + std::string(placement_id) + ":" + std::string(event_key);
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

bool VisitorsSeen::fresh(const std::string& day, const std::string& subject, const std::string& visitor, int flags) {
  if (day != day_ || used_ * 4 >= slots_ * 3 || table_.empty()) {
    table_.assign(slots_, Slot{});
    used_ = 0;
    day_ = day;
  }
  const std::hash<std::string_view> h;
  std::uint64_t key = h(visitor) ^ (h(subject) * 0x9E3779B97F4A7C15ULL);
  if (key == 0) key = 1;
  for (std::size_t i = key & (slots_ - 1);; i = (i + 1) & (slots_ - 1)) {
    Slot& slot = table_[i];
    if (slot.key == 0) {
      slot.key = key;
      slot.flags = flags;
      ++used_;
      return true;
    }
    if (slot.key != key) continue;
    if ((slot.flags | flags) == slot.flags) return false;
    slot.flags |= flags;
    return true;
  }
}

void AnalyticsBatch::add_visitor(VisitorKey k, int flags, const AnalyticsHour& at, VisitorsSeen* seen) {
  if (seen && !seen->fresh(k.day, k.subject, k.visitor, flags)) return;
  auto it = visitors_.find(k);
  if (it != visitors_.end()) {
    it->second |= flags;
    return;
  }
  if (visitors_.size() >= limits_.visitors) {
    drop("visitor_id", at);
    return;
  }
  visitors_.emplace(std::move(k), flags);
}

void AnalyticsBatch::add(const Signal& s, const AnalyticsHour& at, VisitorsSeen* seen) {
  if (s.kind == SignalKind::search) {
    add_count(CountKey{at.hour, at.day, s.kind, "", s.slot, ""}, 1);
    add_search(SearchKey{at.hour, at.day, s.search_term, s.search_filters}, SearchCount{1, s.results == 0 ? 1 : 0, s.results},
               at);
  } else {
    add_count(CountKey{at.hour, at.day, s.kind, s.event_key, s.slot, s.detail}, 1);
  }
  if (s.visitor.empty() || s.kind == SignalKind::dropped) return;
  const int flag = visitor_flag(s.kind);
  // The subject's row first: when it is nothing new, neither is the site's row, taken with it.
  std::string subject = s.kind == SignalKind::feed_fetch ? "feed:" + s.detail
                        : s.kind == SignalKind::click   ? placement_subject(s.detail, s.event_key)
                                                        : s.event_key;
  if (!subject.empty()) {
    if (seen && !seen->fresh(at.day, subject, s.visitor, flag)) return;
    add_visitor(VisitorKey{at.day, std::move(subject), s.visitor}, flag, at);
  }
  add_visitor(VisitorKey{at.day, "", s.visitor}, flag, at, seen);
}

void AnalyticsBatch::absorb(AnalyticsBatch&& other, const AnalyticsHour& now) {
  if (empty() && other.visitors_.size() <= limits_.visitors && other.searches_.size() <= limits_.searches) {
    counts_ = std::move(other.counts_);
    searches_ = std::move(other.searches_);
    visitors_ = std::move(other.visitors_);
    return;
  }
  merge(other, now);
}

void AnalyticsBatch::forget_visitors_before(const std::string& day) {
  while (!visitors_.empty() && visitors_.begin()->first.day < day) visitors_.erase(visitors_.begin());
}

void AnalyticsBatch::forget_known_visitors(const std::map<VisitorKey, int>& known) {
  for (auto it = visitors_.begin(); it != visitors_.end();) {
    auto k = known.find(it->first);
    if (k != known.end() && (k->second | it->second) == k->second) it = visitors_.erase(it);
    else ++it;
  }
}

void AnalyticsBatch::merge(const AnalyticsBatch& other, const AnalyticsHour& now) {
  for (const auto& [k, n] : other.counts_) add_count(k, n);
  for (const auto& [k, c] : other.searches_) add_search(k, c, now);
  for (const auto& [k, flags] : other.visitors_) add_visitor(k, flags, now);
}

}  // namespace marquee
