#include "adapters/web/alert_pages.hpp"

#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"

namespace marquee {
namespace {

using kainjow::mustache::object;

Response unknown_link(const SiteInfo& site) {
  return private_html(404, error_page_html(site, 404, "Link not found",
                                           "This alert link does not work. Copy the whole link from the message, or "
                                           "ask for alerts again on your agenda."));
}

}  // namespace

void AlertPages::add_routes(Router& router) {
  router.add(Route{"GET", "/alerts/confirm/{token}", Access::public_access,
                   [this](const Request&, const PathParams& p) { return confirm_page(p.at("token"), false); }, true});
  router.add(Route{"POST", "/alerts/confirm/{token}", Access::public_access,
                   [this](const Request&, const PathParams& p) { return confirm_page(p.at("token"), true); }, true});
  router.add(Route{"GET", "/alerts/unsubscribe/{token}", Access::public_access,
                   [this](const Request&, const PathParams& p) { return unsubscribe_page(p.at("token"), false); }, true});
  router.add(Route{"POST", "/alerts/unsubscribe/{token}", Access::public_access,
                   [this](const Request&, const PathParams& p) { return unsubscribe_page(p.at("token"), true); }, true});
}

Response AlertPages::page(int status, const std::string& title, TemplateData d) {
  d.set("title", title);
  return private_html(status, layout_page(site_.get(), title, render_template("alert", d)));
}

Response AlertPages::confirm_page(const std::string& token, bool post) {
  std::optional<AgendaAlert> alert;
  if (post) alert = alerts_.confirm(token).alert;
  else alert = alerts_.by_confirmation(token);
  if (!alert) return unknown_link(site_.get());
  TemplateData d{object{}};
  if (alert->state == "ended") {
    d.set("ended", true);
    return page(post ? 410 : 200, "This link no longer works", d);
  }
  d.set("email", mask_email(alert->email));
  if (alert->state == "confirmed") {
    d.set("confirmed", true);
    return page(200, "E-mail alerts are on", d);
  }
  d.set("confirm", true);
  d.set("action", "/alerts/confirm/" + token);
  return page(200, "Confirm e-mail alerts", d);
}

Response AlertPages::unsubscribe_page(const std::string& token, bool post) {
  std::optional<AgendaAlert> alert;
  if (post) alert = alerts_.unsubscribe(token).alert;
  else alert = alerts_.by_unsubscribe(token);
  if (!alert) return unknown_link(site_.get());
  TemplateData d{object{}};
  if (alert->state == "ended") {
    d.set("off", true);
    return page(200, "E-mail alerts are off", d);
  }
  d.set("email", mask_email(alert->email));
  d.set("unsubscribe", true);
  d.set("action", "/alerts/unsubscribe/" + token);
  return page(200, "Stop e-mail alerts?", d);
}

}  // namespace marquee
