#pragma once
// Signals rolled up in memory between two flushes of the analytics buffer:
// counts per hour and (event, kind, slot, detail), search counts per hour and
// (term, filters), and which visitor ids did what per day. Memory grows with
// distinct keys, never with requests; when a bound is reached the detail goes
// first (a visitor id, a search term) and what was dropped is itself counted.
// No I/O.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/analytics_signal.hpp"
#include "core/event.hpp"

namespace marquee {

/// The local hour a signal falls in: `hour` the instant it starts (UTC
/// seconds), `day` its local date "YYYY-MM-DD" in the analytics time zone.
struct AnalyticsHour {
  UnixSeconds hour = 0;
  std::string day;
};

/// What a visitor id did on a day, as bits (analytics_visitors.flags).
enum VisitorFlag : int {
  kVisitorViewed = 1,
  kVisitorSaved = 2,
  kVisitorClicked = 4,
  kVisitorRegistered = 8,
  kVisitorSearched = 16,
  kVisitorSawPlacement = 32,
  kVisitorClickedPlacement = 64,
  kVisitorFetchedFeed = 128,
};
/// A visitor who viewed the event and registered for it the same day.
constexpr int kVisitorConverted = kVisitorViewed | kVisitorRegistered;

/// The visitor subject of a placement's clicks, "placement:<id>:<event key>":
/// a click is kept on it (not on the event), so unique clicks are per
/// placement and a registration, save or outbound click for the event by the
/// same visitor on the same day is attributed to it (analytics_attribution).
std::string placement_subject(std::string_view placement_id, std::string_view event_key);

struct CountKey {
  UnixSeconds hour = 0;
  std::string day;
  SignalKind kind = SignalKind::view;
  std::string event_key, slot, detail;
  auto operator<=>(const CountKey&) const = default;
};

struct SearchKey {
  UnixSeconds hour = 0;
  std::string day;
  std::string term, filters;
  auto operator<=>(const SearchKey&) const = default;
};

struct SearchCount {
  std::int64_t searches = 0;
  std::int64_t zero_results = 0;  ///< searches that found nothing
  std::int64_t results = 0;       ///< results of the latest of them
};

/// `subject`: "" the whole site, an event key, or "feed:<name>".
struct VisitorKey {
  std::string day, subject, visitor;
  auto operator<=>(const VisitorKey&) const = default;
};

/// Bounds of one batch (distinct keys, not requests).
struct BatchLimits {
  std::size_t visitors = 200000;  ///< distinct (day, subject, visitor) rows
  std::size_t searches = 20000;   ///< distinct (hour, term, filters) rows
};

/// Which (day, subject, visitor) rows with which flags a buffer already took
/// since the day began, as 64-bit hashes in an open-addressing table: a
/// visitor seen again with nothing new needs no row, and the request path
/// then touches one flat table instead of the batch's ordered maps. Forgets
/// everything on a new day or when three quarters full.
class VisitorsSeen {
 public:
  /// `slots`: table size, a power of two (16 bytes each, allocated on first use).
  explicit VisitorsSeen(std::size_t slots = std::size_t{1} << 18) : slots_(slots) {}
  /// True (and remembered) when the row or one of its `flags` is new.
  bool fresh(const std::string& day, const std::string& subject, const std::string& visitor, int flags);

 private:
  struct Slot {
    std::uint64_t key = 0;  ///< 0: empty
    int flags = 0;
  };
  std::size_t slots_;
  std::size_t used_ = 0;
  std::string day_;
  std::vector<Slot> table_;
};

class AnalyticsBatch {
 public:
  explicit AnalyticsBatch(BatchLimits limits = {}) : limits_(limits) {}

  /// Rolls `s` up into the hour `at`; with `seen`, visitor rows `seen`
  /// already had are skipped.
  void add(const Signal& s, const AnalyticsHour& at, VisitorsSeen* seen = nullptr);
  /// Adds everything of `other` (a batch that could not be written) into
  /// this one, within this one's bounds; what does not fit is counted as
  /// dropped in the hour `now`.
  void merge(const AnalyticsBatch& other, const AnalyticsHour& now);
  /// merge() for a batch that is no longer needed: its rows move over
  /// without copying where this batch does not hold them yet.
  void absorb(AnalyticsBatch&& other, const AnalyticsHour& now);

  /// Drops the visitor rows `known` already holds with every flag they
  /// carry (rows already written need not be written again).
  void forget_known_visitors(const std::map<VisitorKey, int>& known);
  /// Drops the visitor rows of days before `day` ("YYYY-MM-DD").
  void forget_visitors_before(const std::string& day);

  bool empty() const { return counts_.empty() && searches_.empty() && visitors_.empty(); }
  /// Distinct rows the batch would write.
  std::size_t rows() const { return counts_.size() + searches_.size() + visitors_.size(); }

  const std::map<CountKey, std::int64_t>& counts() const { return counts_; }
  const std::map<SearchKey, SearchCount>& searches() const { return searches_; }
  const std::map<VisitorKey, int>& visitors() const { return visitors_; }

 private:
  void add_count(const CountKey& k, std::int64_t n) { counts_[k] += n; }
  void add_search(const SearchKey& k, const SearchCount& c, const AnalyticsHour& at);
  void add_visitor(VisitorKey k, int flags, const AnalyticsHour& at, VisitorsSeen* seen = nullptr);
  void drop(const char* what, const AnalyticsHour& at, std::int64_t n = 1);

  BatchLimits limits_;
  std::map<CountKey, std::int64_t> counts_;
  std::map<SearchKey, SearchCount> searches_;
  std::map<VisitorKey, int> visitors_;
};

/// The VisitorFlag bit a signal of `kind` sets.
int visitor_flag(SignalKind kind);

}  // namespace marquee
