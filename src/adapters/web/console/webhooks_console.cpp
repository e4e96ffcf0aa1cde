#include "adapters/web/console/webhooks_console.hpp"

#include "adapters/http/form.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/html_response.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"
#include "core/webhook.hpp"

namespace marquee {
namespace {


using kainjow::mustache::object;

std::string local_text(std::optional<UnixSeconds> t, const std::string& zone) {
  return t ? console_local_time(*t, zone) : std::string();
}

std::string status_text(const std::optional<int>& status, const std::string& error) {
  if (status) return std::to_string(*status);
  return error.empty() ? "" : "no answer";
}

}  // namespace

void WebhooksConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, Capability::operate});
  };
  route("GET", "/admin/webhooks", [this](const Request& r, const PathParams&) { return list(r, {}, 200, nullptr); });
  route("POST", "/admin/webhooks", [this](const Request& r, const PathParams&) { return create(r); });
  route("GET", "/admin/webhooks/{id}", [this](const Request& r, const PathParams& p) { return detail(r, p.at("id")); });
  route("POST", "/admin/webhooks/{id}/delete", [this](const Request& r, const PathParams& p) { return remove(r, p.at("id")); });
  route("POST", "/admin/webhooks/deliveries/{id}/replay",
        [this](const Request& r, const PathParams& p) { return replay(r, p.at("id")); });
}

Response WebhooksConsole::list(const Request& req, const std::vector<std::pair<std::string, std::string>>& errors, int status,
                               const std::function<void(TemplateData&)>& extra) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  const std::string zone = zone_ ? zone_() : std::string("UTC");
  d.set("zone", zone);
  TemplateData rows{kainjow::mustache::list{}};
  for (const auto& e : webhooks_.list()) {
    TemplateData r{object{}};
    r.set("id", std::to_string(e.id));
    r.set("url", e.url);
    r.set("events", join(e.events, ", "));
    set_text(r, "description", e.description);
    set_text(r, "last", status_text(e.last_status, e.last_error));
    r.set("last_ok", e.last_status && webhook_delivered(*e.last_status));
    set_text(r, "last_error", e.last_error);
    set_text(r, "last_at", local_text(e.last_attempt_at, zone));
    r.set("pending", std::to_string(e.pending));
    r.set("failed", std::to_string(e.failed));
    r.set("has_failed", e.failed > 0);
    rows.push_back(r);
  }
  d.set("webhooks", rows);
  d.set("has_webhooks", !rows.is_empty_list());
  TemplateData types{kainjow::mustache::list{}};
  for (const auto& t : webhook_event_types()) {
    TemplateData o{object{}};
    o.set("type", t);
    types.push_back(o);
  }
  d.set("types", types);
  TemplateData errs{kainjow::mustache::list{}};
  for (const auto& [field, message] : errors) {
    TemplateData e{object{}};
    e.set("field", std::string(field == "url" ? "Address" : "Events"));
    e.set("message", message);
    errs.push_back(e);
  }
  d.set("errors", errs);
  d.set("has_errors", !errors.empty());
  if (extra) extra(d);
  return console_page(site_, user, status, "Webhooks", "webhooks", "admin_webhooks", d, req.param("notice"));
}

Response WebhooksConsole::create(const Request& req) {
  std::string url, description, events;
  for (const auto& [name, value] : parse_form_pairs(req.body)) {
    if (name == "url") url = value;
    else if (name == "description") description = value;
    else if (name == "event") events += (events.empty() ? "" : ",") + value;
  }
  const CreatedWebhook made = webhooks_.create(url, events, description, req.actor);
  if (!made.errors.empty())
    return list(req, made.errors, 422, [&](TemplateData& d) {
      set_text(d, "form_url", url);
      set_text(d, "form_description", description);
    });
  return list(req, {}, 201, [&](TemplateData& d) {
    d.set("created", true);
    d.set("created_url", made.endpoint->url);
    d.set("secret", made.secret);
  });
}

Response WebhooksConsole::detail(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  const auto id = parse_int(id_text);
  auto e = id ? webhooks_.find(*id) : std::nullopt;
  if (!e) return console_error(site_, user, 404, "No such webhook", "No webhook has the id " + id_text + ".", "/admin/webhooks");
  TemplateData d = console_data(user);
  const std::string zone = zone_ ? zone_() : std::string("UTC");
  d.set("zone", zone);
  d.set("id", std::to_string(e->id));
  d.set("url", e->url);
  d.set("events", join(e->events, ", "));
  TemplateData rows{kainjow::mustache::list{}};
  for (const auto& x : webhooks_.deliveries(e->id, 100)) {
    TemplateData r{object{}};
    r.set("id", std::to_string(x.id));
    r.set("type", x.event_type);
    r.set("event_id", x.event_id);
    r.set("state", x.state);
    r.set("delivered", x.state == "delivered");
    r.set("failed", x.state == "failed");
    r.set("attempts", std::to_string(x.attempts));
    r.set("created", local_text(x.created_at, zone));
    set_text(r, "status", status_text(x.last_status, x.last_error));
    set_text(r, "error", x.last_error);
    set_text(r, "next", x.state == "pending" ? local_text(x.due_at, zone) : std::string());
    r.set("payload", x.payload);
    rows.push_back(r);
  }
  d.set("deliveries", rows);
  d.set("has_deliveries", !rows.is_empty_list());
  return console_page(site_, user, 200, "Webhook " + e->url, "webhooks", "admin_webhook", d, req.param("notice"));
}

Response WebhooksConsole::remove(const Request& req, const std::string& id_text) {
  const auto id = parse_int(id_text);
  if (!id || !webhooks_.remove(*id, req.actor))
    return console_error(site_, console_user(req), 404, "No such webhook", "No webhook has the id " + id_text + ".",
                         "/admin/webhooks");
  return see_other("/admin/webhooks?notice=webhook-deleted");
}

Response WebhooksConsole::replay(const Request& req, const std::string& id_text) {
  const auto id = parse_int(id_text);
  auto d = id ? webhooks_.delivery(*id) : std::nullopt;
  if (!d || !webhooks_.replay(*id, req.actor))
    return console_error(site_, console_user(req), 404, "No such delivery", "No webhook delivery has the id " + id_text + ".",
                         "/admin/webhooks");
  return see_other("/admin/webhooks/" + std::to_string(d->endpoint_id) + "?notice=webhook-replayed");
}

}  // namespace marquee
