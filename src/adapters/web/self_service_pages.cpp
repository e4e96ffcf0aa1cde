#include "adapters/web/self_service_pages.hpp"

#include "adapters/http/form.hpp"
#include "adapters/http/rate_limited.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/web/html_response.hpp"
#include "app/agenda_alerts.hpp"
#include "core/admission.hpp"

namespace marquee {
namespace {

using kainjow::mustache::object;

bool changeable(const Registration& r) {
  return !r.erased_at && (r.state == AttendeeState::confirmed || r.state == AttendeeState::waitlisted);
}

}  // namespace

struct SelfServicePages::Context {
  Registration registration;
  Event event;
  bool transfers = false;  ///< the event allows transfers
  bool open = false;       ///< the event is not cancelled and has not started
};

SelfServicePages::SelfServicePages(SiteRef site, RegistrationService& registrations, SelfService& self_service,
                                   EventLookup events, AddressLimit& limiter)
    : site_(std::move(site)), registrations_(registrations), self_service_(self_service), events_(std::move(events)),
      limiter_(limiter) {}

void SelfServicePages::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::public_access, std::move(h), true});
  };
  route("GET", "/r/{token}/edit", [this](const Request& r, const PathParams& p) { return edit_form(r, p.at("token")); });
  route("POST", "/r/{token}/edit", [this](const Request& r, const PathParams& p) { return save_details(r, p.at("token")); });
  route("GET", "/r/{token}/transfer", [this](const Request& r, const PathParams& p) { return transfer_form(r, p.at("token")); });
  route("POST", "/r/{token}/transfer", [this](const Request& r, const PathParams& p) { return transfer(r, p.at("token")); });
}

std::optional<SelfServicePages::Context> SelfServicePages::context(const std::string& token) {
  auto r = registrations_.find(token);
  if (!r) return std::nullopt;
  auto e = events_(r->event_key);
  if (!e) e = registrations_.events().find_event(r->event_key);
  if (!e) return std::nullopt;
  Context c{*r, *e};
  c.transfers = registrations_.offers().event_operations(e->key).transfers;
  c.open = e->status == EventStatus::published && registrations_.clock().now() < e->starts_at;
  return c;
}

Response SelfServicePages::message_page(int status, const std::string& title, const std::string& text,
                                        const std::string& back) {
  TemplateData d{object{}};
  d.set("heading", title);
  d.set("text", text);
  set_text(d, "back", back);
  d.set("back_label", std::string("← Your registration"));
  return private_html(status, layout_page(site_, title, render_template("self_service_done", d)));
}

Response SelfServicePages::form_page(const Context& c, const std::string& token, bool transfer, const AttendeeForm& form,
                                     int status) {
  TemplateData d{object{}};
  d.set("token", token);
  d.set("title", c.event.title);
  d.set("when", when_text(c.event));
  set_text(d, "venue", c.event.venue);
  d.set("action", std::string(transfer ? "transfer" : "edit"));
  d.set("heading", std::string(transfer ? "Give your place to someone else" : "Change your details"));
  d.set("intro", std::string(transfer ? "Your place goes to the person below: we e-mail them a new ticket and their own "
                                        "link. Your ticket and this page's link stop working at once. This cannot be undone."
                                      : "Your e-mail address stays as it is; to give your place to someone else, use the "
                                        "transfer instead."));
  d.set("button", std::string(transfer ? "Give my place to this person" : "Save my details"));
  d.set("danger", transfer);
  fill_attendee_form(d, c.event, form, transfer);
  const std::string heading = transfer ? "Give your place to someone else" : "Change your details";
  return private_html(status, layout_page(site_, heading, render_template("self_service", d)));
}

Response SelfServicePages::edit_form(const Request&, const std::string& token) {
  auto c = context(token);
  if (!c) return message_page(404, "Not found", "This registration link is not valid.", "");
  if (!changeable(c->registration) || !c->open)
    return message_page(409, "Too late to change", "This registration can no longer be changed.", "/r/" + token);
  return form_page(*c, token, false, AttendeeForm{form_values(c->registration.name, c->registration.answers), {}, ""}, 200);
}

Response SelfServicePages::save_details(const Request& req, const std::string& token) {
  auto c = context(token);
  if (!c) return message_page(404, "Not found", "This registration link is not valid.", "");
  AttendeeForm form{parse_form(req.body), {}, ""};
  DetailsReply reply = self_service_.change_details(token, c->event, form.values["name"], answers_from_form(c->event, form.values));
  if (!reply.errors.empty()) {
    form.errors = reply.errors;
    return form_page(*c, token, false, form, 422);
  }
  switch (reply.outcome.result) {
    case DetailsResult::updated:
    case DetailsResult::unchanged: return see_other("/r/" + token + "?changed=details");
    case DetailsResult::closed:
      return message_page(409, "Too late to change", "This registration can no longer be changed.", "/r/" + token);
    case DetailsResult::not_found: break;
  }
  return message_page(404, "Not found", "This registration link is not valid.", "");
}

Response SelfServicePages::transfer_form(const Request&, const std::string& token) {
  auto c = context(token);
  if (!c) return message_page(404, "Not found", "This registration link is not valid.", "");
  if (!c->transfers)
    return message_page(409, "Transfers are not possible", "This event does not allow passing a place on.", "/r/" + token);
  if (!changeable(c->registration) || !c->open)
    return message_page(409, "Too late to transfer", "This registration can no longer be passed on.", "/r/" + token);
  return form_page(*c, token, true, AttendeeForm{}, 200);
}

Response SelfServicePages::transfer(const Request& req, const std::string& token) {
  auto c = context(token);
  if (!c) return message_page(404, "Not found", "This registration link is not valid.", "");
  AttendeeForm form{parse_form(req.body), {}, ""};
  if (auto limited = rate_limited(limiter_, req, registrations_.clock().now())) {
    form.message = "Too many requests from your connection. Please wait a minute and try again.";
    Response r = form_page(*c, token, true, form, 429);
    for (const auto& h : limited->headers)
      if (h.first == "Retry-After") r.headers.push_back(h);
    return r;
  }
  RegistrationInput to;
  to.name = form.values["name"];
  to.email = form.values["email"];
  to.answers = answers_from_form(c->event, form.values);
  TransferReply reply = self_service_.transfer(token, c->event, to, "attendee");
  if (!reply.errors.empty()) {
    form.errors = reply.errors;
    return form_page(*c, token, true, form, 422);
  }
  switch (reply.outcome.result) {
    case TransferResult::transferred:
      return message_page(200, "Your place is passed on",
                          "Your place at " + c->event.title + " now belongs to " + reply.outcome.registration.name +
                              " (" + mask_email(reply.outcome.registration.email) +
                              "). We have e-mailed them their ticket and their own link. Your ticket and this page's "
                              "link no longer work.",
                          "");
    case TransferResult::same_email:
      form.errors.emplace_back("email", "this is your own address: enter the other person's");
      return form_page(*c, token, true, form, 422);
    case TransferResult::duplicate_email:
      form.message = "That person is registered for this event already.";
      return form_page(*c, token, true, form, 409);
    case TransferResult::not_allowed:
      return message_page(409, "Transfers are not possible", "This event does not allow passing a place on.", "/r/" + token);
    case TransferResult::closed:
      return message_page(409, "Too late to transfer", "This registration can no longer be passed on.", "/r/" + token);
    case TransferResult::not_found: break;
  }
  return message_page(404, "Not found", "This registration link is not valid.", "");
}

}  // namespace marquee
