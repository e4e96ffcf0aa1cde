#include "adapters/web/door_pages.hpp"

#include <sodium.h>

#include <algorithm>

#include "adapters/assets/embedded.hpp"
#include "adapters/http/form.hpp"
#include "adapters/http/security_headers.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/web/web_app_manifest.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

// The camera stream and the frames read from it are blob: and data: URLs.
const std::string& door_policy() {
  static const std::string policy = content_security_policy("data: blob:", "blob:");
  return policy;
}

Response door_html(int status, std::string html) {
  Response r = private_html(status, std::move(html));
  r.headers.emplace_back("Content-Security-Policy", door_policy());
  return r;
}

std::string random_id() {
  unsigned char b[12];
  randombytes_buf(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

}  // namespace

TemplateData door_outcome(const ScanResult& r, const std::string& event_title, const std::string& zone) {
  TemplateData d{object{}};
  std::string headline, detail = r.attendee_name;
  if (!event_title.empty()) detail += (detail.empty() ? "" : " · ") + event_title;
  std::string css = "bad";
  switch (r.outcome) {
    case ScanOutcome::admitted: headline = "✓ Admitted"; css = "good"; break;
    case ScanOutcome::exited: headline = "↤ Let out"; css = "out"; break;
    case ScanOutcome::duplicate: headline = "✓ Recorded (was already inside)"; css = "good"; break;
    case ScanOutcome::refused:
      switch (r.refusal) {
        case ScanRefusal::unknown_code: headline = "✗ Unknown code"; detail = "No ticket has this code, or it is forged."; break;
        case ScanRefusal::other_event: headline = "✗ Another event or day"; break;
        case ScanRefusal::cancelled: headline = "✗ Registration cancelled"; break;
        case ScanRefusal::passed_on:
          headline = "✗ Ticket passed on";
          detail = "The holder gave this place to someone else: their new ticket has another code.";
          break;
        case ScanRefusal::waitlisted: headline = "✗ On the waiting list"; detail += " (not confirmed)"; break;
        case ScanRefusal::released:
          headline = "✗ Place released";
          detail += std::string(detail.empty() ? "" : " · ") + "not checked in in time: the place went to someone waiting";
          break;
        case ScanRefusal::room_full:
          headline = "✗ Room full";
          detail += std::string(detail.empty() ? "" : " · ") + "as many as the room holds are inside: let someone out first";
          break;
        case ScanRefusal::already_inside: {
          headline = "✗ Already inside";
          if (r.presence.entered_at) {
            const LocalTime t = to_local(r.presence.entered_at, zone);
            detail += (detail.empty() ? "" : " · ") + std::string("came in at ") + t.time + " (" + t.date + ")" +
                      (r.presence.entered_device.empty() ? "" : " through " + r.presence.entered_device);
          }
          break;
        }
        case ScanRefusal::no_reentry: headline = "✗ No re-entry at this door"; break;
        case ScanRefusal::not_inside: headline = "✗ Not inside"; break;
        case ScanRefusal::list_closed: headline = "✗ This list is closed now"; break;
        case ScanRefusal::none: headline = "✗ Refused"; break;
      }
      break;
  }
  d.set("css", css);
  d.set("headline", headline);
  set_text(d, "detail", detail);
  return d;
}

DoorPages::DoorPages(SiteRef site, CheckinService& service, CheckinStore& lists, EventReader& events, DoorReleases& releases)
    : site_(std::move(site)), service_(service), lists_(lists), events_(events), releases_(releases) {}

void DoorPages::add_routes(Router& router) {
  router.add(Route{"GET", "/door/sw.js", Access::public_access, [](const Request&, const PathParams&) {
                     Response r;
                     r.content_type = "text/javascript; charset=utf-8";
                     r.body = std::make_shared<const std::string>(std::string(embedded_asset("static/door-sw.js")));
                     r.headers.emplace_back("Cache-Control", "no-cache");
                     r.headers.emplace_back("Service-Worker-Allowed", "/door");
                     return r;
                   }});
  router.add(Route{"GET", "/door/manifest.webmanifest", Access::public_access, [this](const Request&, const PathParams&) {
                     Response r;
                     r.content_type = "application/manifest+json";
                     r.body = std::make_shared<const std::string>(web_app_manifest_json(
                         WebAppManifest{site_.get().name + " door", "Door", "/door", "/door", "portrait"}));
                     r.headers.emplace_back("Cache-Control", "public, max-age=3600");
                     return r;
                   }});
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, Capability::check_in});
  };
  route("GET", "/door", [this](const Request& r, const PathParams&) { return choose(r); });
  route("GET", "/door/{id}", [this](const Request& r, const PathParams& p) { return scanner(r, p.at("id")); });
  route("POST", "/door/{id}", [this](const Request& r, const PathParams& p) { return scan(r, p.at("id")); });
  route("POST", "/door/{id}/release", [this](const Request& r, const PathParams& p) { return release(r, p.at("id")); });
}

Response DoorPages::choose(const Request& req) {
  const ConsoleUser user = console_user(req);
  const auto lists = service_.lists_for(user.email, user.role);
  if (lists.size() == 1) return see_other("/door/" + std::to_string(lists.front().id));
  TemplateData d = console_data(user);
  d.set("site_name", site_.get().name);
  TemplateData rows{list{}};
  for (const auto& l : lists) {
    TemplateData row{object{}};
    row.set("id", std::to_string(l.id));
    row.set("name", l.name);
    row.set("events", count_of(static_cast<std::int64_t>(l.event_keys.size()), "event", "events"));
    row.set("reentry", l.allow_reentry);
    rows.push_back(row);
  }
  d.set("lists", rows);
  d.set("has_lists", !lists.empty());
  return door_html(200, render_template("door_lists", d));
}

Response DoorPages::scanner(const Request& req, const std::string& id_text, const TemplateData* outcome, int status) {
  const ConsoleUser user = console_user(req);
  const auto id = parse_id(id_text);
  const auto l = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!l) return console_error(site_.get(), user, 404, "No such check-in list", "There is no check-in list " + id_text + ".", "/door");
  if (!service_.may_use(l->id, user.email, user.role))
    return console_error(site_.get(), user, 403, "Not your check-in list",
                         "You are assigned to other check-in lists; ask an operator.", "/door");
  TemplateData d = console_data(user);
  d.set("site_name", site_.get().name);
  d.set("id", std::to_string(l->id));
  d.set("name", l->name);
  d.set("allow_reentry", l->allow_reentry);
  d.set("ticket_key", service_.ticket_key());
  d.set("many_lists", service_.lists_for(user.email, user.role).size() > 1);
  if (outcome) d.set("outcome", *outcome);
  else d.set("outcome", false);
  d.set("exit_chosen", req.method == "POST" && parse_form(req.body)["direction"] == "exit");
  // Places at the door (release at the door): how many are free and how many could be released.
  std::string zone = site_.get().time_zone;
  TemplateData places{list{}};
  const auto door_places = releases_.places_of_list(l->id);
  for (const auto& p : door_places) {
    TemplateData row{object{}};
    row.set("event_key", p.event_key);
    row.set("title", p.title);
    row.set("free_known", p.free.has_value());
    row.set("free", p.free ? std::to_string(*p.free) : std::string());
    row.set("waitlisted", std::to_string(p.waitlisted));
    row.set("released", std::to_string(p.released));
    row.set("any_released", p.released > 0);
    row.set("not_checked_in", std::to_string(p.not_checked_in));
    row.set("releasable", p.releasable);
    row.set("can_release", p.releasable && p.not_checked_in > 0);
    const LocalTime at = to_local(p.release_at, zone.empty() ? "UTC" : zone);
    row.set("release_time", at.time + " on " + at.date);
    places.push_back(row);
  }
  d.set("has_door_places", !door_places.empty());
  d.set("door_places", places);
  return door_html(status, render_template("door", d));
}

Response DoorPages::release(const Request& req, const std::string& id_text) {
  const auto id = parse_id(id_text);
  const auto l = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!l || !service_.may_use(l->id, req.actor, parse_role(req.actor_role))) return scanner(req, id_text);
  const std::string key = parse_form(req.body)["event"];
  TemplateData outcome{object{}};
  if (std::find(l->event_keys.begin(), l->event_keys.end(), key) == l->event_keys.end()) {
    outcome.set("css", "bad");
    outcome.set("headline", "✗ Not an event of this list");
    set_text(outcome, "detail", "");
    return scanner(req, id_text, &outcome, 422);
  }
  const DoorRelease r = releases_.release(key, req.actor);
  if (r.result != DoorReleaseResult::released) {
    outcome.set("css", "bad");
    outcome.set("headline", "✗ Nothing released");
    set_text(outcome, "detail", DoorReleases::refusal_detail(r, site_.get().time_zone));
    return scanner(req, id_text, &outcome, 409);
  }
  outcome.set("css", "good");
  outcome.set("headline", "✓ " + count_of(r.count, "place", "places") + " released");
  set_text(outcome, "detail", "Tickets on the waiting list scanned now take a free place.");
  return scanner(req, id_text, &outcome);
}

Response DoorPages::scan(const Request& req, const std::string& id_text) {
  const auto id = parse_id(id_text);
  if (!id || !lists_.find_checkin_list(*id) || !service_.may_use(*id, req.actor, parse_role(req.actor_role)))
    return scanner(req, id_text);
  auto form = parse_form(req.body);
  ScanInputText in;
  in.device = "browser form";
  in.scan_id = random_id();
  in.code = form["code"];
  in.direction = form["direction"];
  auto recorded = service_.scan(*id, {in});
  TemplateData outcome{object{}};
  if (std::holds_alternative<FieldErrors>(recorded)) {
    outcome.set("css", "bad");
    outcome.set("headline", "✗ Not a ticket code");
    set_text(outcome, "detail", "Type the code printed under the QR code.");
    return scanner(req, id_text, &outcome, 422);
  }
  const ScanResult& r = std::get<std::vector<ScanResult>>(recorded).front();
  std::string title, zone = site_.get().time_zone;
  if (!r.event_key.empty())
    if (auto e = events_.find_event(r.event_key)) {
      title = e->title;
      if (zone.empty()) zone = e->time_zone;
    }
  outcome = door_outcome(r, title, zone.empty() ? "UTC" : zone);
  return scanner(req, id_text, &outcome);
}

}  // namespace marquee
