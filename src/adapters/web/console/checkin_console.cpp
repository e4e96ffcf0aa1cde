#include "adapters/web/console/checkin_console.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "core/datetime_text.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

// "2027-06-11T18:00" for a datetime-local input.
std::string local_input(const std::optional<UnixSeconds>& t, const std::string& zone) {
  if (!t) return "";
  const LocalTime l = to_local(*t, zone);
  return l.date + "T" + l.time;
}

std::string refusal_text(ScanRefusal r) {
  switch (r) {
    case ScanRefusal::none: return "";
    case ScanRefusal::unknown_code: return "unknown code";
    case ScanRefusal::other_event: return "another event or day";
    case ScanRefusal::cancelled: return "cancelled";
    case ScanRefusal::waitlisted: return "waitlisted";
    case ScanRefusal::already_inside: return "already inside";
    case ScanRefusal::no_reentry: return "no re-entry";
    case ScanRefusal::not_inside: return "not inside";
    case ScanRefusal::list_closed: return "list closed";
    case ScanRefusal::passed_on: return "passed on";
    case ScanRefusal::room_full: return "room full";
    case ScanRefusal::released: return "released at the door";
  }
  return "";
}

// One list's figures: inside, capacity, share, alarm, entries, exits, duplicates, by venue.
TemplateData status_data(const CheckinList& l, const CheckinStatus& s) {
  TemplateData d{object{}};
  d.set("id", std::to_string(l.id));
  d.set("name", l.name);
  d.set("inside", std::to_string(s.inside));
  d.set("entries", std::to_string(s.entries));
  d.set("exits", std::to_string(s.exits));
  d.set("entries_text", count_of(s.entries, "entry", "entries"));
  d.set("exits_text", count_of(s.exits, "exit", "exits"));
  d.set("duplicates", std::to_string(s.duplicates));
  d.set("has_duplicates", s.duplicates > 0);
  d.set("duplicates_text", count_of(s.duplicates, "flagged duplicate", "flagged duplicates"));
  d.set("alarm_percent", std::to_string(l.alarm_percent));
  const bool alarm = l.room_capacity && s.inside * 100 >= *l.room_capacity * l.alarm_percent;
  d.set("alarm", alarm);
  if (l.room_capacity) {
    d.set("capacity", std::to_string(*l.room_capacity));
    const std::int64_t percent = s.inside * 100 / *l.room_capacity;
    d.set("percent", std::to_string(percent));
    d.set("bar", std::to_string(std::min<std::int64_t>(percent, 100)));
  } else {
    d.set("capacity", false);
  }
  TemplateData venues{list{}};
  for (const auto& [venue, inside] : s.venues) {
    TemplateData v{object{}};
    v.set("venue", venue.empty() ? std::string("(no venue)") : venue);
    v.set("inside", std::to_string(inside));
    venues.push_back(v);
  }
  d.set("venues", venues);
  d.set("has_venues", !s.venues.empty());
  return d;
}

std::optional<std::int64_t> id_of(const std::string& text) { return parse_id(text); }

}  // namespace

CheckinConsole::CheckinConsole(SiteRef site, CheckinService& service, CheckinStore& lists, EventReader& events,
                               AccountStore& accounts, const Clock& clock)
    : site_(std::move(site)), service_(service), lists_(lists), events_(events), accounts_(accounts), clock_(clock) {}

void CheckinConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/checkin-lists", Capability::view, [this](const Request& r, const PathParams&) { return index(r); });
  route("GET", "/admin/checkin-lists/occupancy", Capability::view,
        [this](const Request& r, const PathParams&) { return occupancy_rows(r); });
  route("GET", "/admin/checkin-lists/new", Capability::operate,
        [this](const Request& r, const PathParams&) { return new_list(r); });
  route("POST", "/admin/checkin-lists", Capability::operate, [this](const Request& r, const PathParams&) { return create(r); });
  route("GET", "/admin/checkin-lists/{id}", Capability::view,
        [this](const Request& r, const PathParams& p) { return list_page(r, p.at("id")); });
  route("GET", "/admin/checkin-lists/{id}/live", Capability::view,
        [this](const Request& r, const PathParams& p) { return live(r, p.at("id")); });
  route("POST", "/admin/checkin-lists/{id}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return update(r, p.at("id")); });
  route("GET", "/admin/checkin-lists/{id}/print", Capability::attendees,
        [this](const Request& r, const PathParams& p) { return print(r, p.at("id")); });
}

std::string CheckinConsole::zone() const {
  const SiteInfo site = site_.get();
  if (!site.time_zone.empty()) return site.time_zone;
  const auto all = events_.list_events();
  return all.empty() ? std::string("UTC") : all.front().time_zone;
}

TemplateData CheckinConsole::occupancy_list() {
  TemplateData rows{list{}};
  for (const auto& l : lists_.list_checkin_lists()) {
    TemplateData row = status_data(l, lists_.checkin_status(l.id));
    row.set("events", count_of(static_cast<std::int64_t>(l.event_keys.size()), "event", "events"));
    row.set("reentry", l.allow_reentry);
    rows.push_back(row);
  }
  return rows;
}

Response CheckinConsole::index(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  const TemplateData rows = occupancy_list();
  d.set("lists", rows);
  d.set("has_lists", !rows.is_empty_list());
  return console_page(site_.get(), user, 200, "Check-in lists", "checkin-lists", "admin_checkin_lists", d,
                      req.param("notice"));
}

Response CheckinConsole::occupancy_rows(const Request& req) {
  TemplateData d{object{}};
  d.set("lists", occupancy_list());
  (void)req;
  Response r = console_fragment(200, render_template("admin_checkin_rows", d));
  return r;
}

TemplateData CheckinConsole::form_data(const ConsoleUser& user, const CheckinListInput& in, const std::string& tz) {
  TemplateData d = console_data(user);
  set_text(d, "name", in.name);
  d.set("allow_reentry", in.allow_reentry);
  d.set("opens_at", local_input(in.opens_at, tz));
  d.set("closes_at", local_input(in.closes_at, tz));
  d.set("room_capacity", in.room_capacity ? std::to_string(*in.room_capacity) : std::string());
  d.set("alarm_percent", std::to_string(in.alarm_percent));
  d.set("zone", tz);
  const std::set<std::string> chosen(in.events.begin(), in.events.end());
  auto events = events_.list_events();
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.starts_at, a.title, a.key) < std::tie(b.starts_at, b.title, b.key);
  });
  std::map<std::string, TemplateData> days;  // date → events of that day
  std::vector<std::string> day_order;
  std::set<std::string> venues;
  for (const auto& e : events) {
    const LocalTime t = to_local(e.starts_at, e.time_zone);
    if (!days.count(t.date)) {
      days.emplace(t.date, TemplateData{list{}});
      day_order.push_back(t.date);
    }
    TemplateData o{object{}};
    o.set("key", e.key);
    o.set("label", t.time + " " + e.title);
    set_text(o, "venue", e.venue);
    o.set("checked", chosen.count(e.key) > 0);
    days.at(t.date).push_back(o);
    if (!e.venue.empty()) venues.insert(e.venue);
  }
  TemplateData day_list{list{}}, day_options{list{}};
  for (const auto& day : day_order) {
    TemplateData g{object{}};
    g.set("day", day);
    g.set("events", days.at(day));
    day_list.push_back(g);
    TemplateData o{object{}};
    o.set("value", day);
    o.set("selected", in.day == day);
    day_options.push_back(o);
  }
  d.set("days", day_list);
  d.set("day_options", day_options);
  TemplateData venue_options{list{}};
  for (const auto& v : venues) {
    TemplateData o{object{}};
    o.set("value", v);
    o.set("selected", in.venue == v);
    venue_options.push_back(o);
  }
  d.set("venue_options", venue_options);
  const std::set<std::string> assigned(in.door_users.begin(), in.door_users.end());
  TemplateData users{list{}};
  for (const auto& u : accounts_.list_users()) {
    if (u.disabled || u.role != Role::door) continue;
    TemplateData o{object{}};
    o.set("email", u.email);
    o.set("checked", assigned.count(u.email) > 0);
    users.push_back(o);
  }
  d.set("has_door_users", !users.is_empty_list());
  d.set("door_users", users);
  return d;
}

Response CheckinConsole::new_list(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = form_data(user, CheckinListInput{}, zone());
  d.set("action", "/admin/checkin-lists");
  d.set("submit", "Create the list");
  return console_page(site_.get(), user, 200, "New check-in list", "checkin-lists", "admin_checkin_form", d);
}

namespace {

// The form's fields as the service's input; `problems` gets what cannot be read.
CheckinListInput input_from_form(const std::string& body, const std::string& zone, std::vector<std::string>& problems) {
  CheckinListInput in;
  in.alarm_percent = 90;
  for (const auto& [k, v] : parse_form_pairs(body)) {
    if (k == "name") in.name = v;
    else if (k == "event") in.events.push_back(v);
    else if (k == "venue") in.venue = v;
    else if (k == "day") in.day = v;
    else if (k == "allow_reentry") in.allow_reentry = !v.empty();
    else if (k == "door_user") in.door_users.push_back(v);
    else if (k == "room_capacity" && !trim(v).empty()) {
      if (auto n = parse_int(trim(v))) in.room_capacity = *n;
      else problems.push_back("Room capacity: a whole number of people.");
    } else if (k == "alarm_percent") {
      if (auto n = parse_int(trim(v)); n && *n >= -1000 && *n <= 1000) in.alarm_percent = static_cast<int>(*n);
      else problems.push_back("Alarm level: a whole number from 1 to 100.");
    } else if ((k == "opens_at" || k == "closes_at") && !trim(v).empty()) {
      auto dt = parse_datetime_text(trim(v), DateOrder::ymd);
      if (!dt || !dt->has_time) problems.push_back(std::string(k == "opens_at" ? "Opens" : "Closes") + ": give a date and time.");
      else (k == "opens_at" ? in.opens_at : in.closes_at) = to_utc(*dt, zone);
    }
  }
  return in;
}

std::string field_label(const std::string& field) {
  static const std::map<std::string, std::string> labels = {
      {"name", "Name"}, {"events", "Events"}, {"closes_at", "Closes"}, {"room_capacity", "Room capacity"},
      {"alarm_percent", "Alarm level"}, {"door_users", "Door users"}};
  auto it = labels.find(field);
  return it == labels.end() ? field : it->second;
}

TemplateData problem_list(const std::vector<std::string>& problems) {
  TemplateData l{list{}};
  for (const auto& p : problems) l.push_back(TemplateData{p});
  return l;
}

}  // namespace

Response CheckinConsole::create(const Request& req) {
  const ConsoleUser user = console_user(req);
  const std::string tz = zone();
  std::vector<std::string> problems;
  CheckinListInput in = input_from_form(req.body, tz, problems);
  if (problems.empty()) {
    auto made = service_.create_list(in, req.actor);
    if (auto* id = std::get_if<std::int64_t>(&made)) return see_other("/admin/checkin-lists/" + std::to_string(*id) + "?notice=list-created");
    for (const auto& [f, m] : std::get<FieldErrors>(made)) problems.push_back(field_label(f) + ": " + m + ".");
  }
  TemplateData d = form_data(user, in, tz);
  d.set("action", "/admin/checkin-lists");
  d.set("submit", "Create the list");
  d.set("problems", problem_list(problems));
  d.set("has_problems", true);
  return console_page(site_.get(), user, 422, "New check-in list", "checkin-lists", "admin_checkin_form", d);
}

Response CheckinConsole::list_page(const Request& req, const std::string& id_text, const std::string& problem, int status,
                                   const std::string& posted) {
  const ConsoleUser user = console_user(req);
  const auto id = id_of(id_text);
  const auto l = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!l) return console_error(site_.get(), user, 404, "No such check-in list", "There is no check-in list " + id_text + ".",
                               "/admin/checkin-lists");
  const std::string tz = zone();
  CheckinListInput in;
  std::vector<std::string> problems;
  if (!posted.empty()) {
    in = input_from_form(posted, tz, problems);
  } else {
    in.name = l->name;
    in.events = l->event_keys;
    in.allow_reentry = l->allow_reentry;
    in.opens_at = l->opens_at;
    in.closes_at = l->closes_at;
    in.room_capacity = l->room_capacity;
    in.alarm_percent = l->alarm_percent;
    in.door_users = l->door_users;
  }
  TemplateData d = form_data(user, in, tz);
  d.set("id", std::to_string(l->id));
  d.set("title", l->name);
  d.set("action", "/admin/checkin-lists/" + std::to_string(l->id));
  d.set("submit", "Save changes");
  d.set("status", status_data(*l, lists_.checkin_status(l->id)));
  d.set("reentry", l->allow_reentry);
  d.set("event_count", count_of(static_cast<std::int64_t>(l->event_keys.size()), "event", "events"));
  set_text(d, "hours", l->opens_at || l->closes_at
                           ? (l->opens_at ? console_local_time(*l->opens_at, tz) : std::string("any time")) + " to " +
                                 (l->closes_at ? console_local_time(*l->closes_at, tz) : std::string("any time")) + " (" + tz + ")"
                           : std::string());
  set_text(d, "assigned", join(l->door_users, ", "));
  if (!problem.empty()) {
    d.set("problems", problem_list({problem}));
    d.set("has_problems", true);
  }
  const bool names = user.can(Capability::attendees);
  auto scan_rows = [&](const std::vector<ScanRecord>& scans) {
    TemplateData rows{list{}};
    for (const auto& s : scans) {
      TemplateData r{object{}};
      r.set("when", console_local_time(s.scanned_at, tz));
      r.set("received", console_local_time(s.received_at, tz));
      r.set("device", s.device);
      r.set("direction", std::string(to_string(s.direction)));
      r.set("outcome", std::string(to_string(s.outcome)));
      r.set("good", s.outcome == ScanOutcome::admitted || s.outcome == ScanOutcome::exited);
      set_text(r, "reason", refusal_text(s.refusal));
      r.set("offline", s.decided_offline);
      r.set("who", !s.registration_id ? std::string("unknown code")
                   : names            ? (s.attendee_name.empty() ? std::string("(erased)") : s.attendee_name)
                                      : std::string("ticket …") + s.code.substr(s.code.size() > 4 ? s.code.size() - 4 : 0));
      set_text(r, "event", s.event_key);
      rows.push_back(r);
    }
    return rows;
  };
  const auto flagged = lists_.checkin_scans(l->id, true, 100);
  d.set("flagged", scan_rows(flagged));
  d.set("has_flagged", !flagged.empty());
  const auto latest = lists_.checkin_scans(l->id, false, 50);
  d.set("latest", scan_rows(latest));
  d.set("has_latest", !latest.empty());
  d.set("can_print", user.can(Capability::attendees));
  return console_page(site_.get(), user, status, l->name, "checkin-lists", "admin_checkin_list", d, req.param("notice"));
}

Response CheckinConsole::live(const Request& req, const std::string& id_text) {
  const auto id = id_of(id_text);
  const auto l = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!l) return console_fragment(404, "<p>There is no such check-in list.</p>");
  (void)req;
  Response r = console_fragment(200, render_template("admin_checkin_live", status_data(*l, lists_.checkin_status(l->id))));
  return r;
}

Response CheckinConsole::update(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  const auto id = id_of(id_text);
  if (!id || !lists_.find_checkin_list(*id)) return list_page(req, id_text);
  std::vector<std::string> problems;
  CheckinListInput in = input_from_form(req.body, zone(), problems);
  if (problems.empty()) {
    auto changed = service_.update_list(*id, in, req.actor);
    if (std::holds_alternative<bool>(changed)) return see_other("/admin/checkin-lists/" + id_text + "?notice=list-saved");
    for (const auto& [f, m] : std::get<FieldErrors>(changed)) problems.push_back(field_label(f) + ": " + m + ".");
  }
  return list_page(req, id_text, "Not saved: " + join(problems, " "), 422, req.body);
}

Response CheckinConsole::print(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  const auto id = id_of(id_text);
  const auto l = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!l) return console_error(site_.get(), user, 404, "No such check-in list", "There is no check-in list " + id_text + ".",
                               "/admin/checkin-lists");
  const std::string tz = zone();
  TemplateData d{object{}};
  d.set("site_name", site_.get().name);
  d.set("name", l->name);
  d.set("printed", console_local_time(clock_.now(), tz) + " (" + tz + ")");
  TemplateData events{list{}};
  std::map<std::string, std::string> titles;
  for (const auto& key : l->event_keys)
    if (auto e = events_.find_event(key)) {
      titles[key] = e->title;
      TemplateData o{object{}};
      o.set("title", e->title);
      o.set("when", console_local_time(e->starts_at, e->time_zone));
      set_text(o, "venue", e->venue);
      events.push_back(o);
    }
  d.set("events", events);
  TemplateData rows{list{}};
  std::int64_t confirmed = 0;
  for (const auto& t : lists_.door_tickets(l->id)) {
    if (t.passed_on) continue;  // old codes of transferred places: for door phones, not for the paper list
    TemplateData r{object{}};
    r.set("name", t.name);
    std::string code = t.ticket_code;
    for (std::size_t i = 4; i < code.size(); i += 5) code.insert(i, " ");  // "ABCD EFGH" is read aloud more easily
    r.set("code", code);
    r.set("event", titles.count(t.event_key) ? titles[t.event_key] : t.event_key);
    r.set("state", std::string(to_string(t.state)));
    r.set("admit", t.state == AttendeeState::confirmed);
    r.set("inside", t.presence.inside);
    if (t.state == AttendeeState::confirmed) ++confirmed;
    rows.push_back(r);
  }
  d.set("tickets", rows);
  d.set("count", count_of(confirmed, "confirmed ticket", "confirmed tickets"));
  d.set("reentry", l->allow_reentry);
  Response r = console_fragment(200, render_template("admin_checkin_print", d));
  return r;
}

}  // namespace marquee
