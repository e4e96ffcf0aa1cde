#pragma once
// What a partner reads about its placements (issue 17): report links
// (/partners/{token}: no account; 256-bit tokens, kept only as SHA-256,
// revocable, rotatable, optionally expiring) and the per-placement, per-day
// figures behind the page, the CSV and the operators' API.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/insights.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// The attribution rule, as the report page and docs state it.
inline constexpr const char* kAttributionRule =
    "A registration, calendar save or link click counts for a placement only when the same visitor also clicked "
    "that placement on the same day (days in the festival's time zone). Visitors who ask not to be tracked "
    "(Do Not Track, Global Privacy Control) are counted in impressions and clicks but never attributed.";

/// One placement on one day (or over the whole range, as totals).
struct PlacementFigures {
  std::string day;                   ///< "YYYY-MM-DD", "" for totals
  std::int64_t impressions = 0;      ///< times the placement was served (not to bots or prefetches)
  std::int64_t clicks = 0;           ///< clicks on it
  std::int64_t unique_clicks = 0;    ///< distinct visitors who clicked (per day; totals sum the days)
  std::int64_t registrations = 0;    ///< attributed registrations (kAttributionRule)
  std::int64_t calendar_saves = 0;   ///< attributed
  std::int64_t outbound_clicks = 0;  ///< attributed clicks on the event's own link
  /// Unique clicks per impression, 0..1; nullopt without impressions.
  std::optional<double> ctr() const;
};

struct PlacementReport {
  Placement placement;
  std::string event_title;  ///< "" when the event is gone
  std::string time_zone;    ///< the event's zone, for the window
  std::vector<PlacementFigures> days;  ///< every day of the range, in order
  PlacementFigures totals;
};

struct PartnerReport {
  Partner partner;
  InsightRange range;
  std::vector<PlacementReport> placements;  ///< newest first
};

/// A new report link: the token is shown once and never stored.
struct PartnerLink {
  std::int64_t id = 0;
  std::string token;
  std::optional<UnixSeconds> expires_at;
};

class PartnerReports {
 public:
  /// `zone`: the analytics time zone (days of the figures).
  PartnerReports(Store& store, const Clock& clock, std::function<std::string()> zone)
      : store_(store), clock_(clock), zone_(std::move(zone)) {}

  /// Makes a report link for `partner_id` (expiring after `expires_in_days`
  /// when given); with `rotate`, the partner's other links stop working in
  /// the same transaction. Audited. nullopt when there is no such partner.
  std::optional<PartnerLink> issue_link(std::int64_t partner_id, std::optional<int> expires_in_days, bool rotate,
                                        const std::string& actor);

  /// The partner a link belongs to, when the link is known, not revoked and
  /// not expired; nullopt otherwise (the page answers 404 alike).
  std::optional<Partner> partner_for(const std::string& token) const;

  /// Today in the analytics zone, "YYYY-MM-DD".
  std::string today() const;
  UnixSeconds now() const { return clock_.now(); }

  /// The figures of `partner`'s placements for days `range`. Throws StoreError.
  PartnerReport report(const Partner& partner, const InsightRange& range) const;

 private:
  Store& store_;
  const Clock& clock_;
  std::function<std::string()> zone_;
};

}  // namespace marquee
