#include "adapters/web/partner_pages.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/render/insight_tables.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"
#include "core/datetime_text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

std::string percent(const std::optional<double>& r) {
  if (!r) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", *r * 100.0);
  return buf;
}

const char* slot_label(PlacementSlot s) {
  switch (s) {
    case PlacementSlot::featured: return "Featured (programme page hero)";
    case PlacementSlot::promoted: return "Promoted (programme list and search results)";
    case PlacementSlot::category_top: return "Top of its category";
  }
  return "";
}

std::string window_text(const Placement& p, const std::string& zone) {
  const LocalTime a = to_local(p.starts_at, zone), b = to_local(p.ends_at, zone);
  return a.date + " " + a.time + " – " + (b.date == a.date ? "" : b.date + " ") + b.time;
}

// x: UTC seconds of each local day's start in `zone`.
std::string chart_json(const PlacementReport& r, const std::string& zone) {
  boost::json::array x, impressions, clicks;
  for (const auto& d : r.days) {
    auto day = parse_datetime_text(d.day, DateOrder::ymd);
    x.push_back(day ? to_utc(*day, zone) : 0);
    impressions.push_back(d.impressions);
    clicks.push_back(d.unique_clicks);
  }
  boost::json::array series;
  series.push_back(boost::json::object{{"label", "Impressions"}, {"values", impressions}});
  series.push_back(boost::json::object{{"label", "Unique clicks"}, {"values", clicks}});
  return boost::json::serialize(boost::json::object{{"zone", zone}, {"x", x}, {"series", series}});
}

void set_figures(TemplateData& t, const PlacementFigures& f) {
  t.set("impressions", std::to_string(f.impressions));
  t.set("clicks", std::to_string(f.clicks));
  t.set("unique_clicks", std::to_string(f.unique_clicks));
  t.set("ctr", percent(f.ctr()));
  t.set("registrations", std::to_string(f.registrations));
  t.set("saves", std::to_string(f.calendar_saves));
  t.set("outbound", std::to_string(f.outbound_clicks));
}

Response private_answer(Response r) {
  for (auto& [name, value] : r.headers)
    if (name == "Cache-Control") value = "private, no-cache";
  r.headers.emplace_back("X-Robots-Tag", "noindex");
  return r;
}

}  // namespace

std::optional<InsightRange> partner_report_range(const Request& req, const std::string& today, std::string* error) {
  std::string from = req.param("from");
  if (from.empty() && req.param("to").empty()) {
    // The last 30 days, today included.
    auto t = parse_datetime_text(today, DateOrder::ymd);
    if (t) {
      const DateTimeText f = add_days(*t, -29);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", f.year, f.month, f.day);
      from = buf;
    }
  }
  return parse_insight_range(from, req.param("to"), today, error);
}

void PartnerPages::add_routes(Router& router) {
  router.add(Route{"GET", "/partners/{token}", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return page(r, p.at("token")); }, true});
  router.add(Route{"GET", "/partners/{token}/report.csv", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return csv(r, p.at("token")); }, true});
}

Response PartnerPages::page(const Request& req, const std::string& token) {
  const SiteInfo site = site_.get();
  auto partner = reports_.partner_for(token);
  if (!partner)
    return private_answer(private_html(404, error_page_html(site, 404, "Not found",
                                                            "This report link is not known, or it was revoked or has expired. "
                                                            "Ask the festival team for a new one.")));
  const std::string zone = zone_();
  std::string error;
  auto range = partner_report_range(req, reports_.today(), &error);
  TemplateData d{object{}};
  d.set("partner", partner->name);
  d.set("self_href", "/partners/" + token);
  d.set("zone", zone);
  d.set("rule", kAttributionRule);
  set_text(d, "error", error);
  if (!range) range = partner_report_range(Request{}, reports_.today(), &error);
  d.set("from", range->from);
  d.set("to", range->to);
  d.set("csv_href", "/partners/" + token + "/report.csv?from=" + range->from + "&to=" + range->to);
  const PartnerReport report = reports_.report(*partner, *range);
  TemplateData placements{list{}};
  for (const auto& p : report.placements) {
    TemplateData t{object{}};
    t.set("id", std::to_string(p.placement.id));
    t.set("title", p.event_title.empty() ? p.placement.event_key : p.event_title);
    t.set("slot_label", slot_label(p.placement.slot));
    t.set("window", window_text(p.placement, p.time_zone));
    t.set("zone", p.time_zone);
    t.set("state", std::string(to_string(effective_state(p.placement, reports_.now()))));
    set_figures(t, p.totals);
    t.set("chart_json", chart_json(p, zone));
    TemplateData days{list{}};
    for (const auto& f : p.days) {
      TemplateData row{object{}};
      row.set("day", f.day);
      set_figures(row, f);
      days.push_back(row);
    }
    t.set("days", days);
    placements.push_back(t);
  }
  d.set("placements", placements);
  std::string html = layout_page(site, partner->name + ": placements", render_template("partner_report", d));
  // Never indexed, also by crawlers that ignore headers.
  if (auto head = html.find("</head>"); head != std::string::npos)
    html.insert(head, "<meta name=\"robots\" content=\"noindex, nofollow\">\n");
  return private_answer(private_html(error.empty() ? 200 : 400, std::move(html)));
}

Response PartnerPages::csv(const Request& req, const std::string& token) {
  auto partner = reports_.partner_for(token);
  if (!partner)
    return private_answer(private_html(404, error_page_html(site_.get(), 404, "Not found", "This report link is not known.")));
  std::string error;
  auto range = partner_report_range(req, reports_.today(), &error);
  if (!range) return private_answer(private_html(400, error_page_html(site_.get(), 400, "Bad range", error)));
  const InsightTable table = partner_report_table(reports_.report(*partner, *range));
  std::string body = csv_record(table.header);
  for (const auto& row : table.rows) body += csv_record(row);
  Response r = private_html(200, std::move(body));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"placements-" + range->from + "-" + range->to + ".csv\"");
  return private_answer(std::move(r));
}

}  // namespace marquee
