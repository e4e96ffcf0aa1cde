#include "adapters/api/partner_reports_api.hpp"

#include <boost/json/parse.hpp>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/http/form.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/render/insight_tables.hpp"
#include "adapters/web/partner_pages.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

Response no_partner(const Request& req, const std::string& id) {
  return problem(404, "/problems/partner-not-found", "Partner not found", "No partner has the id " + id, req.path);
}

boost::json::value instant(const std::optional<UnixSeconds>& t) {
  return t ? boost::json::value(format_utc(*t)) : boost::json::value(nullptr);
}

}  // namespace

void PartnerReportsApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability capability, Handler h) {
    router.add(Route{method, pattern, Access::staff, std::move(h), true, capability});
  };
  for (const char* pattern : {"/api/v1/admin/partners/{id}/report", "/api/v1/admin/partners/{id}/report.csv"})
    route("GET", pattern, Capability::view, [this](const Request& r, const PathParams& p) { return report(r, p.at("id")); });
  route("GET", "/api/v1/admin/partners/{id}/links", Capability::view,
        [this](const Request& r, const PathParams& p) { return links(r, p.at("id")); });
  route("POST", "/api/v1/admin/partners/{id}/links", Capability::operate,
        [this](const Request& r, const PathParams& p) { return create_link(r, p.at("id")); });
  route("POST", "/api/v1/admin/partners/{id}/links/{link}/revoke", Capability::operate,
        [this](const Request& r, const PathParams& p) { return revoke_link(r, p.at("id"), p.at("link")); });
}

Response PartnerReportsApi::report(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  auto partner = n ? store_.find_partner(*n) : std::nullopt;
  if (!partner) return no_partner(req, id);
  std::string error;
  auto range = partner_report_range(req, reports_.today(), &error);
  if (!range) return problem(400, "/problems/invalid-parameter", "Invalid query parameter", error, req.path);
  const InsightTable table = partner_report_table(reports_.report(*partner, *range));
  if (req.path.ends_with(".csv")) {
    std::string body = csv_record(table.header);
    for (const auto& row : table.rows) body += csv_record(row);
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::make_shared<const std::string>(std::move(body));
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"partner-" + id + "-" + range->from + "-" +
                                                      range->to + ".csv\"");
    return r;
  }
  return json_response(200, {{"partner", partner->name}, {"from", range->from}, {"to", range->to},
                             {"rule", kAttributionRule}, {"rows", table_json(table)}});
}

Response PartnerReportsApi::links(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  if (!n || !store_.find_partner(*n)) return no_partner(req, id);
  boost::json::array items;
  for (const auto& t : store_.list_partner_tokens(*n))
    items.push_back({{"id", t.id}, {"created_by", t.created_by}, {"created_at", format_utc(t.created_at)},
                     {"expires_at", instant(t.expires_at)}, {"revoked_at", instant(t.revoked_at)}});
  return json_response(200, {{"links", std::move(items)}});
}

Response PartnerReportsApi::create_link(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  if (!n) return no_partner(req, id);
  std::optional<int> days;
  bool rotate = false;
  if (!req.body.empty()) {
    boost::system::error_code ec;
    auto body = boost::json::parse(req.body, ec);
    if (ec || !body.is_object())
      return problem(400, "/problems/malformed-request", "Malformed request", "Send a JSON object (or nothing).", req.path);
    const auto& o = body.as_object();
    if (auto it = o.find("expires_in_days"); it != o.end() && !it->value().is_null()) {
      if (!it->value().is_int64() || it->value().as_int64() < 1 || it->value().as_int64() > 3650)
        return problem(422, "/problems/invalid-link", "Invalid link", "expires_in_days must be a whole number from 1 to 3650.",
                       req.path);
      days = static_cast<int>(it->value().as_int64());
    }
    if (auto it = o.find("rotate"); it != o.end()) {
      if (!it->value().is_bool())
        return problem(422, "/problems/invalid-link", "Invalid link", "rotate must be true or false.", req.path);
      rotate = it->value().as_bool();
    }
  }
  auto link = reports_.issue_link(*n, days, rotate, req.actor);
  if (!link) return no_partner(req, id);
  const std::string base = public_url_ ? public_url_() : "";
  return json_response(201, {{"link", {{"id", link->id}, {"url", base + "/partners/" + link->token}, {"token", link->token},
                                       {"expires_at", instant(link->expires_at)}}},
                             {"note", "The token is shown this once; Marquee keeps only its hash."}});
}

Response PartnerReportsApi::revoke_link(const Request& req, const std::string& id, const std::string& link) {
  auto n = parse_id(id);
  auto l = parse_id(link);
  if (!n || !l) return no_partner(req, id);
  if (!store_.revoke_partner_token(*n, *l, ChangeBy{req.actor, reports_.now(), ""}))
    return problem(404, "/problems/link-not-found", "Link not found",
                   "Partner " + id + " has no active link " + link + ".", req.path);
  return json_response(200, {{"revoked", true}});
}

}  // namespace marquee
