#include "adapters/web/unsubscribe_pages.hpp"

#include "adapters/render/event_text.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"

namespace marquee {

using kainjow::mustache::object;

void UnsubscribePages::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, std::optional<bool> set) {
    router.add(Route{method, pattern, Access::public_access,
                     [this, set](const Request&, const PathParams& p) { return page(p.at("token"), set); }, true});
  };
  route("GET", "/r/{token}/unsubscribe", std::nullopt);
  route("POST", "/r/{token}/unsubscribe", true);
  route("POST", "/r/{token}/resubscribe", false);
}

Response UnsubscribePages::page(const std::string& token, std::optional<bool> set) {
  std::optional<Registration> g = set ? messages_.set_opt_out(token, *set) : registrations_.find(token);
  if (!g || g->erased_at)
    return private_html(404, error_page_html(site_.get(), 404, "Link not found",
                                             "This link does not work. Copy the whole link from the message."));
  auto e = events_(g->event_key);
  if (!e) e = registrations_.events().find_event(g->event_key);
  const bool off = set ? *set : messages_.opted_out(g->id);
  TemplateData d{object{}};
  d.set("token", token);
  d.set("title", e ? e->title : g->event_key);
  d.set("when", e ? when_text(*e) : std::string());
  std::string heading;
  if (off) {
    heading = set ? "You are unsubscribed" : "You receive only essential messages";
    d.set("text", std::string("No more reminders or messages from the organizers about this registration. You still "
                              "receive what you must know: confirmation, changes to the event, cancellation, offers of a place."));
    d.set("action", "/r/" + token + "/resubscribe");
    d.set("button", std::string("Receive reminders and messages again"));
  } else {
    heading = set ? "You receive reminders and messages again" : "Stop reminders and messages?";
    d.set("text", std::string(set ? "Reminders before the start and messages from the organizers will reach you again."
                                  : "You would no longer receive reminders before the start or messages from the "
                                    "organizers about this registration. Confirmations, changes to the event, "
                                    "cancellations and offers of a place are always sent."));
    if (!set) {
      d.set("action", "/r/" + token + "/unsubscribe");
      d.set("button", std::string("Unsubscribe"));
      d.set("danger", true);
    }
  }
  d.set("heading", heading);
  return private_html(200, layout_page(site_.get(), heading, render_template("unsubscribe", d)));
}

}  // namespace marquee
