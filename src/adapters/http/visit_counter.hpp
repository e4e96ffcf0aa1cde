#pragma once
// Where the HTTP handlers hand engagement signals to analytics (issue 16):
// decides whether a request counts (not a bot, not a prefetch), gives it a
// visitor id unless the client sent DNT or Sec-GPC, and buffers the signal
// (app/analytics_recorder). Never blocks, never touches the store.
#include <string>
#include <vector>

#include "adapters/http/bot_filter.hpp"
#include "adapters/http/http_types.hpp"
#include "app/analytics_recorder.hpp"

namespace marquee {

class VisitCounter {
 public:
  /// `recorder` null: analytics is off (--no-analytics) and nothing is counted.
  explicit VisitCounter(AnalyticsRecorder* recorder) : recorder_(recorder) {}

  bool enabled() const { return recorder_ != nullptr; }

  /// Counts `s` as made by `req`, unless analytics is off or — for every
  /// kind but registration, which counts whoever made it — the request is
  /// not a GET, comes from a bot, crawler or headless browser (or sends no
  /// User-Agent), or is a prefetch/prerender. The visitor id is left empty
  /// for "DNT: 1" and "Sec-GPC: 1". The client address and user agent feed
  /// the hash only. A search with neither text nor filters is not counted.
  void count(const Request& req, Signal s) const;

  /// Counts each of `clean` (core clean_signal applied, no visitor id) as
  /// made by `req` under the same rules as count(): placement impressions,
  /// several per page, are counted, not told apart (no hash, no visitor rows).
  void count_unidentified(const Request& req, const std::vector<const Signal*>& clean) const;

  /// The parts of a search as analytics keeps them: `s.search_term`
  /// normalised from ?q=, `s.search_filters` from the category, venue, tag,
  /// from and to parameters ("category=Music;venue=Main Hall", each value
  /// cut to 60 bytes).
  static Signal search_signal(const Request& req, std::int64_t results);

 private:
  AnalyticsRecorder* recorder_;
  BotFilter bots_;
};

/// Counts `s` through `counter` (when not null) if `r` was served: a 2xx or
/// 304 answer; returns `r`.
Response count_if_served(const VisitCounter* counter, const Request& req, Response r, Signal s);

}  // namespace marquee
