#include "adapters/api/publishing_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {


boost::json::object info_json(const SnapshotInfo& s) {
  boost::json::object o{{"number", s.number},       {"created_at", format_utc(s.created_at)},
                        {"author", s.author},       {"note", s.note},
                        {"kind", s.kind},           {"content_hash", s.content_hash},
                        {"event_count", s.event_count}};
  if (s.based_on) o["based_on"] = *s.based_on;
  else o["based_on"] = nullptr;
  return o;
}

boost::json::array changes_json(const std::vector<EventChange>& changes) {
  boost::json::array out;
  for (const auto& c : changes) {
    boost::json::array fields;
    for (const auto& f : c.fields) fields.emplace_back(f);
    out.push_back({{"event_key", c.event_key}, {"change", std::string(to_string(c.kind))}, {"fields", std::move(fields)}});
  }
  return out;
}

// Optional JSON object body; "" when the body is empty. nullopt when malformed.
std::optional<boost::json::object> body_object(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return boost::json::object{};
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::optional<std::int64_t> parse_number(const std::string& s) {
  try {
    std::size_t used = 0;
    const auto n = std::stoll(s, &used);
    if (used == s.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

PublishingApi::PublishingApi(Publisher& publisher, SnapshotStore& snapshots) : publisher_(publisher), snapshots_(snapshots) {}

void PublishingApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Access access, Handler h,
                   Capability capability = Capability::view) {
    router.add(Route{method, pattern, access, std::move(h), true, capability});
  };
  route("POST", "/api/v1/revalidate", Access::deploy,
        [this](const Request& r, const PathParams&) { return publish(r); }, Capability::operate);
  route("GET", "/api/v1/admin/snapshots", Access::staff, [this](const Request&, const PathParams&) { return snapshots(); });
  route("GET", "/api/v1/admin/snapshots/{number}", Access::staff,
        [this](const Request& r, const PathParams& p) { return snapshot(r, p.at("number")); });
  route("GET", "/api/v1/admin/diff", Access::staff, [this](const Request& r, const PathParams&) { return diff(r); });
  route("POST", "/api/v1/admin/publish", Access::staff,
        [this](const Request& r, const PathParams&) { return publish(r); }, Capability::operate);
  route("POST", "/api/v1/admin/rollback", Access::staff, [this](const Request& r, const PathParams&) { return rollback(r); },
        Capability::operate);
}

Response PublishingApi::publish(const Request& req) {
  auto body = body_object(req.body);
  if (!body) return problem(400, "/problems/malformed-request", "Malformed request", "Send a JSON object such as {\"note\": \"…\"} or no body.", req.path);
  std::string note;
  if (auto it = body->find("note"); it != body->end() && it->value().is_string()) note = std::string(it->value().as_string());
  PublishResult r = publisher_.publish(req.actor, note);  // audited with the snapshot
  return json_response(r.unchanged ? 200 : 201, {{"snapshot", info_json(r.snapshot)},
                                        {"unchanged", r.unchanged},
                                        {"changes", changes_json(r.changes)}});
}

Response PublishingApi::rollback(const Request& req) {
  auto body = body_object(req.body);
  if (!body || !body->contains("snapshot") || !body->at("snapshot").is_int64())
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "Send {\"snapshot\": <number>, \"note\": \"…\"}.", req.path);
  std::string note;
  if (auto it = body->find("note"); it != body->end() && it->value().is_string()) note = std::string(it->value().as_string());
  try {
    PublishResult r = publisher_.rollback(body->at("snapshot").as_int64(), req.actor, note);  // audited with the snapshot
    return json_response(201, {{"snapshot", info_json(r.snapshot)}, {"changes", changes_json(r.changes)}});
  } catch (const PublishError& e) {
    return problem(404, "/problems/snapshot-not-found", "Snapshot not found", e.what(), req.path);
  }
}

Response PublishingApi::snapshots() {
  boost::json::array items;
  for (const auto& s : snapshots_.list_snapshots()) items.push_back(info_json(s));
  boost::json::object o{{"snapshots", std::move(items)}};
  if (auto live = snapshots_.live_snapshot_number()) o["live"] = *live;
  else o["live"] = nullptr;
  return json_response(200, o);
}

Response PublishingApi::snapshot(const Request& req, const std::string& number) {
  auto n = parse_number(number);
  auto s = n ? snapshots_.snapshot(*n) : std::nullopt;
  if (!s) return problem(404, "/problems/snapshot-not-found", "Snapshot not found", "There is no snapshot " + number, req.path);
  return json_response(200, {{"snapshot", info_json(s->info)}, {"changes", changes_json(snapshots_.snapshot_changes(*n))}});
}

Response PublishingApi::diff(const Request& req) {
  const std::string from = req.param("from"), to = req.param("to");
  try {
    if (from.empty() && to.empty()) return json_response(200, {{"from", "live"}, {"to", "working"}, {"changes", changes_json(publisher_.pending_changes())}});
    auto a = parse_number(from), b = parse_number(to);
    if (!a || !b)
      return problem(400, "/problems/invalid-parameter", "Invalid query parameter",
                     "from and to must both be snapshot numbers (or both absent for working vs live)", req.path);
    return json_response(200, {{"from", *a}, {"to", *b}, {"changes", changes_json(publisher_.diff(*a, *b))}});
  } catch (const PublishError& e) {
    return problem(404, "/problems/snapshot-not-found", "Snapshot not found", e.what(), req.path);
  }
}

}  // namespace marquee
