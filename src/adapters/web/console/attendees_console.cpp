#include "adapters/web/console/attendees_console.hpp"

#include "core/event_key.hpp"

#include "core/time_zone.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/http/form.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/web/html_response.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

}  // namespace

AttendeesConsole::AttendeesConsole(SiteRef site, RegistrationService& registrations, WaitingListOffers& offers,
                                   const NoShowReport& no_shows)
    : site_(std::move(site)), registrations_(registrations), offers_(offers), no_shows_(no_shows) {}

void AttendeesConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/attendees", Capability::attendees, [this](const Request& r, const PathParams&) { return events(r); });
  route("GET", "/admin/attendees/{key}", Capability::attendees,
        [this](const Request& r, const PathParams& p) { return attendees(r, p.at("key")); });
  route("GET", "/admin/check-in", Capability::check_in, [this](const Request& r, const PathParams&) { return door(r); });
  route("POST", "/admin/check-in", Capability::check_in, [this](const Request& r, const PathParams&) { return check_in(r); });
  route("POST", "/admin/attendees/{key}/operations", Capability::attendees,
        [this](const Request& r, const PathParams& p) { return save_waiting_list(r, p.at("key")); });
  route("POST", "/admin/attendees/{key}/offers", Capability::attendees,
        [this](const Request& r, const PathParams& p) { return offer_place(r, p.at("key")); });
}

Response AttendeesConsole::events(const Request& req) {
  const ConsoleUser user = console_user(req);
  RegistrationStore& places = registrations_.registrations();
  const auto confirmed = places.confirmed_counts();
  TemplateData d = console_data(user);
  TemplateData rows{list{}};
  for (const auto& e : registrations_.events().list_events()) {
    if (!e.registration && !confirmed.count(e.key)) continue;  // no counter row: nothing ever counted
    const auto counts = places.event_counts(e.key);
    TemplateData r{object{}};
    r.set("key", e.key);
    r.set("title", e.title);
    r.set("when", format_rfc3339(e.starts_at, e.time_zone).substr(0, 16));
    r.set("capacity", !e.capacity ? std::string("unlimited")
                      : counts && counts->capacity && *counts->capacity > *e.capacity
                          ? std::to_string(*e.capacity) + " + " + std::to_string(*counts->capacity - *e.capacity) + " overbooked"
                          : std::to_string(*e.capacity));
    r.set("confirmed", std::to_string(counts ? counts->confirmed : 0));
    r.set("waitlisted", std::to_string(counts ? counts->waitlisted : 0));
    r.set("open", e.registration);
    rows.push_back(r);
  }
  d.set("events", rows);
  return console_page(site_, user, 200, "Attendees", "attendees", "admin_attendee_events", d);
}

Response AttendeesConsole::attendees(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  auto e = registrations_.events().find_event(key);
  if (!e) return console_error(site_, user, 404, "No such event", "No event has the key '" + key + "'.", "/admin/attendees");
  const std::string q = search_fold(trim(req.param("q")));
  const std::string state = req.param("state");
  TemplateData d = console_data(user);
  d.set("key", e->key);
  d.set("title", e->title);
  d.set("q", req.param("q"));
  const auto counts = registrations_.registrations().event_counts(key).value_or(EventCounts{});
  d.set("capacity", e->capacity ? std::to_string(*e->capacity) : std::string("unlimited"));
  d.set("confirmed", std::to_string(counts.confirmed));
  d.set("waitlisted", std::to_string(counts.waitlisted));
  waiting_list_data(d, *e, counts);
  std::map<std::int64_t, PlaceOffer> open_offers;
  for (auto& o : offers_.offers_of(key))
    if (o.state == OfferState::open) open_offers.emplace(o.registration_id, std::move(o));
  const bool place_free = !counts.capacity || counts.taken() < *counts.capacity;
  TemplateData states{list{}};
  for (const char* s : {"confirmed", "waitlisted", "checked_in", "cancelled"}) {
    TemplateData o{object{}};
    o.set("value", std::string(s));
    o.set("selected", state == s);
    states.push_back(o);
  }
  d.set("states", states);
  TemplateData rows{list{}};
  int shown = 0, waiting_position = 0;
  for (const auto& r : registrations_.registrations().list_registrations(key, false)) {
    if (r.state == AttendeeState::waitlisted) ++waiting_position;
    if (!state.empty() && state != to_string(r.state)) continue;
    if (!q.empty() && search_fold(r.name + " " + r.email + " " + r.ticket_code).find(q) == std::string::npos) continue;
    TemplateData row{object{}};
    row.set("id", std::to_string(r.id));
    set_text(row, "name", r.erased_at ? "(erased)" : r.name);
    row.set("email", r.email);
    row.set("state", std::string(to_string(r.state)));
    row.set("code", r.ticket_code);
    row.set("registered", format_utc(r.created_at));
    set_text(row, "checked_in_at", r.checked_in_at ? format_utc(*r.checked_in_at) : "");
    set_text(row, "position", r.state == AttendeeState::waitlisted ? "#" + std::to_string(waiting_position) : "");
    row.set("can_check_in", r.state == AttendeeState::confirmed && user.can(Capability::check_in, true));
    if (auto o = open_offers.find(r.id); o != open_offers.end())
      row.set("offered_until", instant_text(o->second.expires_at, e->time_zone));
    else if (r.state == AttendeeState::waitlisted) {
      row.set("can_offer", true);
      row.set("offer_adds_place", !place_free);
    }
    rows.push_back(row);
    ++shown;
  }
  d.set("rows", rows);
  d.set("shown", std::to_string(shown));
  return console_page(site_, user, 200, "Attendees: " + e->title, "attendees", "admin_attendees", d, req.param("notice"));
}

TemplateData AttendeesConsole::door_data(const ConsoleUser& user, const std::string& chosen) {
  TemplateData d = console_data(user);
  TemplateData events{list{}};
  const UnixSeconds now = registrations_.clock().now();
  bool chosen_known = chosen.empty();
  for (const auto& e : registrations_.events().list_events()) {
    if (!e.registration || e.status == EventStatus::draft) continue;
    const bool selected = e.key == chosen;
    // Doors open for what is on today or later (and whatever is chosen already).
    if (!selected && std::max(e.ends_at, e.starts_at) < now - 12 * 3600) continue;
    chosen_known = chosen_known || selected;
    TemplateData o{object{}};
    o.set("key", e.key);
    const LocalTime t = to_local(e.starts_at, e.time_zone);
    o.set("label", day_label(t.date).substr(0, day_label(t.date).rfind(' ')) + ", " + (e.all_day ? "all day" : t.time) +
                       " · " + e.title);
    o.set("selected", selected);
    events.push_back(o);
  }
  d.set("events", events);
  d.set("any_event", chosen.empty() || !chosen_known);
  set_text(d, "outcome", "");
  return d;
}

Response AttendeesConsole::door(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = door_data(user, req.param("event"));
  return console_page(site_, user, 200, "Check-in", "check-in", "admin_check_in", d);
}

Response AttendeesConsole::check_in(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  const std::string door_event = form["event"];
  CheckinOutcome out = registrations_.check_in(form["code"], req.actor, door_event);
  std::string outcome, detail, css = "bad";
  int status = 200;
  const auto event = out.registration.event_key.empty() ? std::nullopt
                                                         : registrations_.events().find_event(out.registration.event_key);
  const std::string zone = event ? event->time_zone : std::string("UTC");
  auto local = [&](UnixSeconds t) {
    const LocalTime l = to_local(t, zone);
    return day_label(l.date) + ", " + l.time + " (" + zone + ")";
  };
  const std::string event_line = event ? event->title + " · " + when_text(*event) : out.registration.event_key;
  switch (out.result) {
    case CheckinResult::checked_in:
      outcome = "✓ Checked in: " + out.registration.name;
      detail = event_line;
      css = "good";
      break;
    case CheckinResult::already_checked_in:
      outcome = "✗ Refused: already checked in";
      detail = out.registration.name + " came in at " + local(*out.registration.checked_in_at) + ". " + event_line;
      status = 409;
      break;
    case CheckinResult::not_confirmed:
      outcome = "✗ Refused: no place on this ticket";
      detail = out.registration.name + " is " + std::string(to_string(out.registration.state)) + ". " + event_line;
      status = 409;
      break;
    case CheckinResult::other_event:
      outcome = "✗ Refused: ticket for another event";
      detail = out.registration.name + " is registered for " + event_line + ".";
      status = 409;
      break;
    case CheckinResult::not_found:
      outcome = "✗ Unknown ticket code";
      detail = "Check the code: letters and digits, any case; spaces and dashes do not matter.";
      status = 404;
      break;
  }
  // `from` names the attendee list to go back to: an event key, nothing else
  // (it becomes part of a Location header).
  const auto from = normalize_explicit_key(form["from"]);
  if (from && *from == form["from"] && user.can(Capability::attendees) && status == 200)
    return see_other("/admin/attendees/" + *from + "?notice=checked-in");
  TemplateData d = door_data(user, door_event);
  set_text(d, "outcome", outcome);
  set_text(d, "detail", detail);
  d.set("css", css);
  set_text(d, "event_key", out.registration.event_key);
  return console_page(site_, user, status, "Check-in", "check-in", "admin_check_in", d);
}

}  // namespace marquee
