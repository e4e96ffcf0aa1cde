#pragma once
// Where analytics rollups live (adapters/store: tables analytics_salts,
// analytics_counts, analytics_searches, analytics_visitors,
// analytics_uniques; none of them is in a backup). Days are local dates
// "YYYY-MM-DD" in the analytics time zone; ranges include both ends.
#include <cstdint>
#include <string>
#include <vector>

#include "core/analytics_batch.hpp"

namespace marquee {

/// One grouped count: `bucket` is the local day ("2026-06-12") or, by hour,
/// the hour's start instant in decimal UTC seconds.
struct AnalyticsCount {
  std::string bucket;
  SignalKind kind = SignalKind::view;
  std::string event_key, slot, detail;
  std::int64_t count = 0;
};

/// Distinct visitor ids of one day and subject ("" the site, an event key,
/// "feed:<name>"); `converted`: of them, those who viewed and registered.
struct AnalyticsUniques {
  std::string day, subject;
  std::int64_t visitors = 0, converted = 0;
};

/// One search term and filter set over a range.
struct AnalyticsSearch {
  std::string term, filters;
  std::int64_t searches = 0, zero_results = 0;
  std::int64_t results = 0;  ///< the most results any of these searches found
};

/// One placement's clicks on one day and what followed them (issue 17):
/// distinct visitors who clicked it, and of them those who on the same day
/// registered for its event, saved it to a calendar, or followed its own link.
struct PlacementAttribution {
  std::string day;
  std::int64_t placement_id = 0;
  std::int64_t clickers = 0, registered = 0, saved = 0, outbound = 0;
};

/// What a roll-up did.
struct AnalyticsRollup {
  std::int64_t days = 0;      ///< days whose visitor ids were rolled up and deleted
  std::int64_t visitor_rows = 0;
  std::int64_t salts = 0;     ///< salts deleted
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;
  /// The salt of `day`: the stored one, or `candidate` (a fresh
  /// new_visitor_salt()) stored now when the day has none yet, so every
  /// instance hashes with the same salt. Throws StoreError.
  virtual std::string analytics_salt(const std::string& day, const std::string& candidate, UnixSeconds now) = 0;
  /// Adds a batch to the rollups in one transaction (counts added,
  /// visitor flags OR-ed), rows in key order so concurrent writers never
  /// deadlock. Throws StoreError (nothing written).
  virtual void write_analytics(const AnalyticsBatch& batch) = 0;
  /// For every day before `before_day`: counts its visitor ids into
  /// analytics_uniques and its placement clicks into analytics_attribution,
  /// deletes them, and deletes its salt; one transaction. Throws StoreError.
  virtual AnalyticsRollup roll_up_analytics(const std::string& before_day) = 0;
  /// Counts of days from..to grouped by day, or by hour when `by_hour`.
  virtual std::vector<AnalyticsCount> analytics_counts(const std::string& from, const std::string& to, bool by_hour) = 0;
  /// Unique visitors of days from..to, rolled up or still as ids.
  virtual std::vector<AnalyticsUniques> analytics_uniques(const std::string& from, const std::string& to) = 0;
  /// Searches of days from..to by term and filters, at most `limit`: most
  /// frequent first, or with `zero_only` only those that found nothing at
  /// least once, most such searches first.
  virtual std::vector<AnalyticsSearch> analytics_searches(const std::string& from, const std::string& to, int limit,
                                                          bool zero_only) = 0;
  /// Placement attribution of days from..to, rolled up or still from
  /// visitor ids (clicks are kept under core placement_subject).
  virtual std::vector<PlacementAttribution> placement_attribution(const std::string& from, const std::string& to) = 0;
  /// Searches of days from..to that found nothing.
  virtual std::int64_t analytics_zero_result_searches(const std::string& from, const std::string& to) = 0;
};

}  // namespace marquee
