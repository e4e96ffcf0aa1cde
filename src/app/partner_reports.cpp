#include "app/partner_reports.hpp"

#include <map>

#include "app/accounts.hpp"
#include "core/event_key.hpp"
#include "core/time_zone.hpp"

namespace marquee {

std::optional<double> PlacementFigures::ctr() const {
  if (impressions <= 0) return std::nullopt;
  return static_cast<double>(unique_clicks) / static_cast<double>(impressions);
}

std::optional<PartnerLink> PartnerReports::issue_link(std::int64_t partner_id, std::optional<int> expires_in_days,
                                                      bool rotate, const std::string& actor) {
  if (!store_.find_partner(partner_id)) return std::nullopt;
  PartnerLink link;
  link.token = random_token();  // 256 bits
  const UnixSeconds now = clock_.now();
  if (expires_in_days) link.expires_at = now + static_cast<UnixSeconds>(*expires_in_days) * 86400;
  link.id = store_.add_partner_token(partner_id, sha256_hex(link.token), link.expires_at, rotate, ChangeBy{actor, now, ""});
  return link;
}

std::optional<Partner> PartnerReports::partner_for(const std::string& token) const {
  if (token.size() < 32 || token.size() > 128) return std::nullopt;
  const auto t = store_.find_partner_token(sha256_hex(token));
  if (!t || t->revoked_at || (t->expires_at && *t->expires_at <= clock_.now())) return std::nullopt;
  return store_.find_partner(t->partner_id);
}

std::string PartnerReports::today() const { return to_local(clock_.now(), zone_()).date; }

PartnerReport PartnerReports::report(const Partner& partner, const InsightRange& range) const {
  PartnerReport out;
  out.partner = partner;
  out.range = range;
  const auto days = days_of(range);
  std::map<std::int64_t, std::map<std::string, PlacementFigures>> by;  // placement id → day → figures
  for (const auto& c : store_.analytics_counts(range.from, range.to, false)) {
    if (c.kind != SignalKind::impression && c.kind != SignalKind::click) continue;
    std::int64_t id = 0;
    try {
      id = std::stoll(c.detail);
    } catch (const std::exception&) {
      continue;
    }
    PlacementFigures& f = by[id][c.bucket];
    (c.kind == SignalKind::impression ? f.impressions : f.clicks) += c.count;
  }
  for (const auto& a : store_.placement_attribution(range.from, range.to)) {
    PlacementFigures& f = by[a.placement_id][a.day];
    f.unique_clicks += a.clickers;
    f.registrations += a.registered;
    f.calendar_saves += a.saved;
    f.outbound_clicks += a.outbound;
  }
  for (const auto& p : store_.list_placements(partner.id)) {
    PlacementReport r;
    r.placement = p;
    const auto event = store_.find_event(p.event_key);
    r.event_title = event ? event->title : "";
    r.time_zone = event ? event->time_zone : zone_();
    const auto& figures = by[p.id];
    for (const auto& day : days) {
      PlacementFigures f;
      if (auto it = figures.find(day); it != figures.end()) f = it->second;
      f.day = day;
      r.totals.impressions += f.impressions;
      r.totals.clicks += f.clicks;
      r.totals.unique_clicks += f.unique_clicks;
      r.totals.registrations += f.registrations;
      r.totals.calendar_saves += f.calendar_saves;
      r.totals.outbound_clicks += f.outbound_clicks;
      r.days.push_back(std::move(f));
    }
    out.placements.push_back(std::move(r));
  }
  return out;
}

}  // namespace marquee
