// Partner reports (issue 17) on SQLite and PostgreSQL: report links (hashed,
// revocable, rotatable, expiring) and the figures per placement and day —
// impressions, clicks, unique clicks and what the same visitors did for the
// event that day — live from visitor ids and after their roll-up alike.
#include <gtest/gtest.h>

#include "app/analytics_recorder.hpp"
#include "app/partner_reports.hpp"
#include "app/placements.hpp"
#include "core/event_key.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNoon = 1796130000;  // 2026-12-01T13:00:00Z, 14:00 in Berlin
const char* const kZone = "Europe/Berlin";

Signal signal(SignalKind kind, const std::string& key, const std::string& visitor, const std::string& detail = "",
              const std::string& slot = "") {
  Signal s;
  s.kind = kind;
  s.event_key = key;
  s.detail = detail;
  s.slot = slot;
  s.visitor = visitor;
  return s;
}

}  // namespace

template <typename B>
using PartnerReportsTest = StoreTest<B>;
TYPED_TEST_SUITE(PartnerReportsTest, Backends, BackendNames);

TYPED_TEST(PartnerReportsTest, LinksAreHashedRevocableRotatableAndExpire) {
  ManualClock clock(kNoon);
  PlacementService placements(*this->store_, clock);
  PartnerReports reports(*this->store_, clock, [] { return std::string(kZone); });
  const auto brewery = placements.save_partner(Partner{0, "Brewery", "", "", 0, 0}, "ops").id;
  const auto bakery = placements.save_partner(Partner{0, "Bakery", "", "", 0, 0}, "ops").id;
  EXPECT_FALSE(reports.issue_link(999, std::nullopt, false, "ops"));

  const auto forever = reports.issue_link(brewery, std::nullopt, false, "ops");
  ASSERT_TRUE(forever);
  EXPECT_GE(forever->token.size(), 43u);  // 256 bits, base64url
  EXPECT_FALSE(this->store_->find_partner_token(forever->token));  // only the hash is stored
  ASSERT_TRUE(this->store_->find_partner_token(sha256_hex(forever->token)));
  EXPECT_EQ(reports.partner_for(forever->token)->name, "Brewery");
  EXPECT_FALSE(reports.partner_for(forever->token + "x"));
  EXPECT_FALSE(reports.partner_for(""));

  const auto week = reports.issue_link(brewery, 7, false, "ops");
  EXPECT_EQ(*week->expires_at, kNoon + 7 * 86400);
  clock.set(kNoon + 7 * 86400 - 1);
  EXPECT_TRUE(reports.partner_for(week->token));
  clock.set(kNoon + 7 * 86400);
  EXPECT_FALSE(reports.partner_for(week->token));  // expired at that second
  EXPECT_TRUE(reports.partner_for(forever->token));

  // A rotation revokes the partner's other links, not another partner's.
  const auto other = reports.issue_link(bakery, std::nullopt, false, "ops");
  const auto rotated = reports.issue_link(brewery, std::nullopt, true, "ops");
  EXPECT_FALSE(reports.partner_for(forever->token));
  EXPECT_TRUE(reports.partner_for(rotated->token));
  EXPECT_TRUE(reports.partner_for(other->token));
  EXPECT_EQ(this->store_->list_audit(1).front().action, "partner_link_rotate");

  EXPECT_FALSE(this->store_->revoke_partner_token(bakery, rotated->id, ChangeBy{"ops", kNoon, ""}));  // not its link
  EXPECT_TRUE(this->store_->revoke_partner_token(brewery, rotated->id, ChangeBy{"ops", kNoon, ""}));
  EXPECT_FALSE(reports.partner_for(rotated->token));
  EXPECT_FALSE(this->store_->revoke_partner_token(brewery, rotated->id, ChangeBy{"ops", kNoon, ""}));  // once
  EXPECT_EQ(this->store_->list_partner_tokens(brewery).size(), 3u);
}

TYPED_TEST(PartnerReportsTest, FiguresPerPlacementAndDayAttributeOnlyTheSameVisitorsSameDay) {
  ManualClock clock(kNoon);
  this->store_->upsert_events({an_event("jazz").title("Harbour Jazz").zone(kZone).at(kNoon + 20 * 86400),
                               an_event("folk").title("Folk").zone(kZone).at(kNoon + 20 * 86400)},
                              kNoon);
  PlacementService placements(*this->store_, clock);
  const auto partner = placements.save_partner(Partner{0, "Brewery", "", "", 0, 0}, "ops").id;
  Placement p;
  p.partner_id = partner;
  p.event_key = "jazz";
  p.slot = PlacementSlot::featured;
  p.starts_at = kNoon - 86400;
  p.ends_at = kNoon + 5 * 86400;
  const auto id = placements.create_placement(p, "ops").placement.id;
  const std::string pid = std::to_string(id);

  AnalyticsRecorder rec(*this->store_, clock, [] { return std::string(kZone); }, AnalyticsOptions{});
  ASSERT_TRUE(rec.prepare_salts());
  const std::string ann = rec.visitor("10.0.0.1", "Firefox"), bob = rec.visitor("10.0.0.2", "Firefox"),
                    cy = rec.visitor("10.0.0.3", "Firefox");
  for (int i = 0; i < 10; ++i) rec.record(signal(SignalKind::impression, "jazz", "", pid, "featured"));
  rec.record(signal(SignalKind::click, "jazz", ann, pid, "featured"));
  rec.record(signal(SignalKind::click, "jazz", ann, pid, "featured"));  // twice: one unique click
  rec.record(signal(SignalKind::click, "jazz", bob, pid, "featured"));
  // Ann registers and saves: attributed. Cy registers without clicking: not attributed.
  rec.record(signal(SignalKind::registration, "jazz", ann, "confirmed"));
  rec.record(signal(SignalKind::calendar_save, "jazz", ann, "ics"));
  rec.record(signal(SignalKind::registration, "jazz", cy, "confirmed"));
  // Bob clicks through to the event's own link, but for another event: not attributed.
  rec.record(signal(SignalKind::outbound_click, "folk", bob));
  ASSERT_TRUE(rec.flush());

  PartnerReports reports(*this->store_, clock, [] { return std::string(kZone); });
  const Partner brewery = *this->store_->find_partner(partner);
  auto check = [&](const char* when) {
    const PartnerReport r = reports.report(brewery, InsightRange{"2026-11-30", "2026-12-01"});
    ASSERT_EQ(r.placements.size(), 1u) << when;
    const PlacementReport& pr = r.placements[0];
    EXPECT_EQ(pr.event_title, "Harbour Jazz");
    ASSERT_EQ(pr.days.size(), 2u) << when;
    EXPECT_EQ(pr.days[0].day, "2026-11-30");
    EXPECT_EQ(pr.days[0].impressions, 0);
    const PlacementFigures& d = pr.days[1];
    EXPECT_EQ(d.impressions, 10) << when;
    EXPECT_EQ(d.clicks, 3) << when;
    EXPECT_EQ(d.unique_clicks, 2) << when;
    EXPECT_EQ(d.registrations, 1) << when;
    EXPECT_EQ(d.calendar_saves, 1) << when;
    EXPECT_EQ(d.outbound_clicks, 0) << when;
    ASSERT_TRUE(d.ctr());
    EXPECT_DOUBLE_EQ(*d.ctr(), 0.2);
    EXPECT_EQ(pr.totals.unique_clicks, 2) << when;
  };
  check("live");
  // Two days later the visitor ids are rolled up and deleted: the figures stay.
  clock.set(kNoon + 2 * 86400);
  const AnalyticsRollup rolled = roll_up_analytics(*this->store_, clock, kZone);
  EXPECT_EQ(rolled.days, 1);
  check("rolled up");
}
