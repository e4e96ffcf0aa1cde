#include "adapters/web/lost_link_pages.hpp"

#include <boost/json.hpp>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/link_resend.hpp"
#include "core/event_key.hpp"

namespace marquee {

LostLinkPages::LostLinkPages(SiteRef site, EventReader& events, LinkResends& resends, std::function<void()> wake_delivery)
    : site_(std::move(site)), events_(events), resends_(resends), wake_(std::move(wake_delivery)) {}

void LostLinkPages::add_routes(Router& router) {
  router.add(Route{"GET", "/registration/lost-link", Access::public_access,
                   [this](const Request& r, const PathParams&) { return form(r); }, true});
  router.add(Route{"POST", "/registration/lost-link", Access::public_access,
                   [this](const Request& r, const PathParams&) { return submit(r); }, true});
  router.add(Route{"POST", "/api/v1/registrations/resend-link", Access::public_access,
                   [this](const Request& r, const PathParams&) { return api(r); }, true});
}

Response LostLinkPages::page(const std::string& email, const std::string& event_key, bool sent,
                             const std::string& message, const std::string& email_error, int status, bool registration) {
  TemplateData d{kainjow::mustache::object{}};
  d.set("registration", registration);
  set_text(d, "email", email);
  std::string title;
  if (auto key = normalize_explicit_key(event_key))
    if (auto e = events_.find_event(*key); e && e->status != EventStatus::draft) {
      set_text(d, "event_key", e->key);
      title = e->title;
    }
  set_text(d, "event_title", title);
  d.set("sent", sent);
  set_text(d, "message", message);
  set_text(d, "email_error", email_error);
  return private_html(status, layout_page(site_, sent ? "Check your inbox" : "Get your registration link again",
                                          render_template("lost_link", d)));
}

Response LostLinkPages::form(const Request& req) { return page("", req.param("event"), false, "", "", 200); }

Response LostLinkPages::submit(const Request& req) {
  auto f = parse_form(req.body);
  return resend(req, f["email"], f["event"]);
}

Response LostLinkPages::resend(const Request& req, const std::string& email, const std::string& event) {
  const auto key = normalize_explicit_key(event);
  const auto out = resends_.resend(email, key.value_or(""), req.remote_address);
  if (out.invalid_email) return page(email, event, false, "", "Enter the e-mail address you registered with.", 422);
  if (out.rate_limited) {
    Response r = page(email, event, false,
                      "Too many requests. Please wait " + std::to_string((out.retry_after + 59) / 60) +
                          " minutes and try again.",
                      "", 429);
    r.headers.emplace_back("Retry-After", std::to_string(out.retry_after));
    return r;
  }
  if (wake_) wake_();
  return page(email, key.value_or(""), true, "", "", 200);
}

Response LostLinkPages::registration_answer(const Request& req, const std::string& email, const std::string& event_key,
                                            bool fresh) {
  if (!fresh) {
    const auto out = resends_.resend(email, event_key, req.remote_address);
    if (!out.rate_limited && wake_) wake_();
  } else if (wake_) {
    wake_();
  }
  return page(email, event_key, true, "", "", 200, true);
}

Response LostLinkPages::api(const Request& req) {
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("email") || !v.as_object().at("email").is_string())
    return problem(422, "/problems/invalid-request", "Invalid request", "Send a JSON object with \"email\" (and optionally \"event\").", req.path);
  const auto& o = v.as_object();
  const std::string email(o.at("email").as_string());
  const std::string event = o.contains("event") && o.at("event").is_string() ? std::string(o.at("event").as_string()) : "";
  const auto out = resends_.resend(email, normalize_explicit_key(event).value_or(""), req.remote_address);
  if (out.invalid_email) return problem(422, "/problems/invalid-email", "Invalid e-mail address", "\"email\" is not an e-mail address.", req.path);
  if (out.rate_limited) {
    Response r = problem(429, "/problems/too-many-requests", "Too Many Requests",
                         "Too many link requests; try again in " + std::to_string(out.retry_after) + " seconds.", req.path);
    r.headers.emplace_back("Retry-After", std::to_string(out.retry_after));
    return r;
  }
  if (wake_) wake_();
  return json_response(202, {{"detail", "If this address is registered, its personal link is on its way to it."}});
}

}  // namespace marquee
