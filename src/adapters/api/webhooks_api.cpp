#include "adapters/api/webhooks_api.hpp"

#include <boost/json/parse.hpp>

#include "adapters/http/form.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

boost::json::value optional_time(const std::optional<UnixSeconds>& t) {
  return t ? boost::json::value(format_utc(*t)) : boost::json::value(nullptr);
}

boost::json::object endpoint_json(const WebhookEndpoint& e) {
  boost::json::array events;
  for (const auto& t : e.events) events.emplace_back(t);
  boost::json::object j{{"id", e.id},
                        {"url", e.url},
                        {"events", std::move(events)},
                        {"description", e.description},
                        {"created_by", e.created_by},
                        {"created_at", format_utc(e.created_at)},
                        {"pending", e.pending},
                        {"failed", e.failed}};
  j["last_status"] = e.last_status ? boost::json::value(*e.last_status) : boost::json::value(nullptr);
  j["last_error"] = e.last_error;
  j["last_attempt_at"] = optional_time(e.last_attempt_at);
  return j;
}

boost::json::object delivery_json(const WebhookDelivery& d) {
  boost::json::object j{{"id", d.id},
                        {"webhook_id", d.endpoint_id},
                        {"event_id", d.event_id},
                        {"type", d.event_type},
                        {"state", d.state},
                        {"attempts", d.attempts},
                        {"created_at", format_utc(d.created_at)},
                        {"due_at", format_utc(d.due_at)},
                        {"last_error", d.last_error},
                        {"payload", d.payload}};
  j["last_status"] = d.last_status ? boost::json::value(*d.last_status) : boost::json::value(nullptr);
  j["delivered_at"] = optional_time(d.delivered_at);
  return j;
}

Response not_found(const Request& req, const std::string& what, const std::string& id) {
  return problem(404, "/problems/webhook-not-found", "Not found", "No " + what + " has the id " + id + ".", req.path);
}

}  // namespace

void WebhooksApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::staff, std::move(h), true, Capability::operate});
  };
  route("GET", "/api/v1/admin/webhooks", [this](const Request& r, const PathParams&) { return list(r); });
  route("POST", "/api/v1/admin/webhooks", [this](const Request& r, const PathParams&) { return create(r); });
  route("GET", "/api/v1/admin/webhooks/{id}", [this](const Request& r, const PathParams& p) { return read(r, p.at("id")); });
  route("DELETE", "/api/v1/admin/webhooks/{id}", [this](const Request& r, const PathParams& p) { return remove(r, p.at("id")); });
  route("POST", "/api/v1/admin/webhooks/deliveries/{id}/replay",
        [this](const Request& r, const PathParams& p) { return replay(r, p.at("id")); });
}

Response WebhooksApi::list(const Request&) {
  boost::json::array out;
  for (const auto& e : webhooks_.list()) out.push_back(endpoint_json(e));
  return json_response(200, {{"webhooks", std::move(out)}});
}

Response WebhooksApi::create(const Request& req) {
  boost::system::error_code ec;
  auto json = boost::json::parse(req.body, ec);
  const boost::json::object* o = !ec && json.is_object() ? &json.as_object() : nullptr;
  const auto* url = o ? o->if_contains("url") : nullptr;
  const auto* events = o ? o->if_contains("events") : nullptr;
  const auto* description = o ? o->if_contains("description") : nullptr;
  std::string types;
  bool ok = url && url->is_string() && events && events->is_array() && (!description || description->is_string());
  if (ok)
    for (const auto& t : events->as_array()) {
      if (!t.is_string()) ok = false;
      else types += (types.empty() ? "" : ",") + std::string(t.as_string());
    }
  if (!ok)
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "Send {\"url\": \"https://…\", \"events\": [\"registration.created\", …] or [\"*\"], \"description\": \"…\"}.",
                   req.path);
  const CreatedWebhook made = webhooks_.create(std::string(url->as_string()), types,
                                               description ? std::string(description->as_string()) : "", req.actor);
  if (!made.errors.empty()) return field_problem("/problems/invalid-webhook", "Invalid webhook", made.errors, req.path);
  return private_json(201, {{"webhook", endpoint_json(*made.endpoint)}, {"secret", made.secret}});
}

Response WebhooksApi::read(const Request& req, const std::string& id_text) {
  auto id = parse_int(id_text);
  auto e = id ? webhooks_.find(*id) : std::nullopt;
  if (!e) return not_found(req, "webhook", id_text);
  boost::json::array deliveries;
  for (const auto& d : webhooks_.deliveries(e->id)) deliveries.push_back(delivery_json(d));
  return json_response(200, {{"webhook", endpoint_json(*e)}, {"deliveries", std::move(deliveries)}});
}

Response WebhooksApi::remove(const Request& req, const std::string& id_text) {
  auto id = parse_int(id_text);
  if (!id || !webhooks_.remove(*id, req.actor)) return not_found(req, "webhook", id_text);
  Response r;
  r.status = 204;
  return r;
}

Response WebhooksApi::replay(const Request& req, const std::string& id_text) {
  auto id = parse_int(id_text);
  if (!id || !webhooks_.replay(*id, req.actor)) return not_found(req, "webhook delivery", id_text);
  auto d = webhooks_.delivery(*id);
  if (!d) return not_found(req, "webhook delivery", id_text);  // its endpoint was deleted meanwhile
  return json_response(200, {{"delivery", delivery_json(*d)}});
}

}  // namespace marquee
