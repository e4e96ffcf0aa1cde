#include "adapters/api/checkin_lists_api.hpp"

#include <boost/json/parse.hpp>

#include <stdexcept>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/datetime_text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

boost::json::value instant(const std::optional<UnixSeconds>& t) {
  return t ? boost::json::value(format_utc(*t)) : boost::json::value(nullptr);
}

boost::json::object list_json(const CheckinList& l) {
  boost::json::array events, users;
  for (const auto& k : l.event_keys) events.emplace_back(k);
  for (const auto& u : l.door_users) users.emplace_back(u);
  return {{"id", l.id},
          {"name", l.name},
          {"events", std::move(events)},
          {"allow_reentry", l.allow_reentry},
          {"opens_at", instant(l.opens_at)},
          {"closes_at", instant(l.closes_at)},
          {"room_capacity", l.room_capacity ? boost::json::value(*l.room_capacity) : boost::json::value(nullptr)},
          {"alarm_percent", l.alarm_percent},
          {"door_users", std::move(users)},
          {"created_at", format_utc(l.created_at)},
          {"updated_at", format_utc(l.updated_at)}};
}

Response invalid(const Request& req, const FieldErrors& errors) {
  return field_problem("/problems/invalid-checkin", "Invalid check-in request", errors, req.path);
}

Response malformed(const Request& req, const std::string& what) {
  return problem(400, "/problems/malformed-request", "Malformed request", what, req.path);
}

Response no_list(const Request& req, const std::string& id) {
  return problem(404, "/problems/not-found", "Not Found", "There is no check-in list " + id + ".", req.path);
}

std::optional<std::int64_t> list_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

// RFC 3339 with an offset or Z → UTC seconds.
std::optional<UnixSeconds> parse_instant(const boost::json::value& v) {
  if (!v.is_string()) return std::nullopt;
  auto dt = parse_datetime_text(std::string(v.as_string()), DateOrder::ymd);
  if (!dt || !dt->has_time || !dt->offset_minutes) return std::nullopt;
  return to_utc(*dt, "UTC");
}

Response not_assigned(const Request& req, std::int64_t id) {
  return problem(403, "/problems/not-assigned", "Not your check-in list",
                 "You are assigned to other check-in lists than " + std::to_string(id) + "; ask an operator.", req.path);
}

// The body of POST and PUT: the input or the field errors.
std::variant<CheckinListInput, FieldErrors> list_input(const boost::json::object& o) {
  CheckinListInput in;
  FieldErrors errors;
  auto text = [&](const char* name, std::string& field) {
    if (auto it = o.find(name); it != o.end()) {
      if (it->value().is_string()) field = std::string(it->value().as_string());
      else errors.emplace_back(name, "must be a string");
    }
  };
  text("name", in.name);
  text("venue", in.venue);
  text("day", in.day);
  for (auto [name, field] : {std::pair{"events", &in.events}, std::pair{"door_users", &in.door_users}})
    if (auto it = o.find(name); it != o.end()) {
      bool strings = it->value().is_array();
      if (strings)
        for (const auto& k : it->value().as_array()) {
          if (k.is_string()) field->emplace_back(k.as_string());
          else strings = false;
        }
      if (!strings) errors.emplace_back(name, std::string(name) == "events" ? "must be a list of event keys" : "must be a list of e-mail addresses");
    }
  if (auto it = o.find("allow_reentry"); it != o.end()) {
    if (it->value().is_bool()) in.allow_reentry = it->value().as_bool();
    else errors.emplace_back("allow_reentry", "must be true or false");
  }
  for (auto [name, field] : {std::pair{"opens_at", &in.opens_at}, std::pair{"closes_at", &in.closes_at}})
    if (auto it = o.find(name); it != o.end() && !it->value().is_null()) {
      *field = parse_instant(it->value());
      if (!*field) errors.emplace_back(name, "must be an RFC 3339 date-time with an offset, e.g. 2027-06-11T18:00:00Z");
    }
  if (auto it = o.find("room_capacity"); it != o.end() && !it->value().is_null()) {
    if (it->value().is_int64()) in.room_capacity = it->value().as_int64();
    else errors.emplace_back("room_capacity", "must be a whole number");
  }
  if (auto it = o.find("alarm_percent"); it != o.end()) {
    if (it->value().is_int64()) in.alarm_percent = static_cast<int>(it->value().as_int64());
    else errors.emplace_back("alarm_percent", "must be a whole number");
  }
  if (!errors.empty()) return errors;
  return in;
}

}  // namespace

void CheckinListsApi::add_routes(Router& router) {
  router.add(Route{"GET", "/api/v1/checkin-lists", Access::staff,
                   [this](const Request& r, const PathParams&) {
                     boost::json::array lists;
                     for (const auto& l : service_.lists_for(r.actor, parse_role(r.actor_role)))
                       lists.push_back(list_json(l));
                     return json_response(200, {{"checkin_lists", std::move(lists)}});
                   },
                   true, Capability::check_in});
  router.add(Route{"POST", "/api/v1/checkin-lists", Access::staff,
                   [this](const Request& r, const PathParams&) { return create(r); }, true, Capability::operate});
  router.add(Route{"PUT", "/api/v1/checkin-lists/{id}", Access::staff,
                   [this](const Request& r, const PathParams& p) { return update(r, p.at("id")); }, true,
                   Capability::operate});
  router.add(Route{"GET", "/api/v1/checkin-lists/{id}/tickets", Access::staff,
                   [this](const Request& r, const PathParams& p) { return tickets(r, p.at("id")); }, true,
                   Capability::check_in});
  router.add(Route{"POST", "/api/v1/checkin-lists/{id}/scans", Access::staff,
                   [this](const Request& r, const PathParams& p) { return scans(r, p.at("id")); }, true,
                   Capability::check_in});
  router.add(Route{"GET", "/api/v1/checkin-lists/{id}/status", Access::staff,
                   [this](const Request& r, const PathParams& p) { return status(r, p.at("id")); }, true,
                   Capability::check_in});
}

Response CheckinListsApi::create(const Request& req) {
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object()) return malformed(req, "Send a JSON object with name and events.");
  auto in = list_input(body.as_object());
  if (auto* e = std::get_if<FieldErrors>(&in)) return invalid(req, *e);
  auto made = service_.create_list(std::get<CheckinListInput>(in), req.actor.empty() ? "staff token" : req.actor);
  if (auto* e = std::get_if<FieldErrors>(&made)) return invalid(req, *e);
  const auto id = std::get<std::int64_t>(made);
  Response r = json_response(201, list_json(*lists_.find_checkin_list(id)));
  r.headers.emplace_back("Location", "/api/v1/checkin-lists/" + std::to_string(id) + "/status");
  return r;
}

Response CheckinListsApi::update(const Request& req, const std::string& id_text) {
  const auto id = list_id(id_text);
  if (!id || !lists_.find_checkin_list(*id)) return no_list(req, id_text);
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object()) return malformed(req, "Send a JSON object with name and events.");
  auto in = list_input(body.as_object());
  if (auto* e = std::get_if<FieldErrors>(&in)) return invalid(req, *e);
  auto changed = service_.update_list(*id, std::get<CheckinListInput>(in), req.actor.empty() ? "staff token" : req.actor);
  if (auto* e = std::get_if<FieldErrors>(&changed)) return invalid(req, *e);
  if (!std::get<bool>(changed)) return no_list(req, id_text);
  return json_response(200, list_json(*lists_.find_checkin_list(*id)));
}

Response CheckinListsApi::tickets(const Request& req, const std::string& id_text) {
  const auto id = list_id(id_text);
  const auto list = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!list) return no_list(req, id_text);
  if (!service_.may_use(*id, req.actor, parse_role(req.actor_role))) return not_assigned(req, *id);
  boost::json::array tickets, events;
  for (const auto& t : lists_.door_tickets(*id))
    tickets.push_back({{"code", t.ticket_code},
                       {"name", t.name},
                       {"event_key", t.event_key},
                       {"state", std::string(to_string(t.state))},
                       {"passed_on", t.passed_on},
                       {"inside", t.presence.inside},
                       {"entries", t.presence.entries},
                       {"exits", t.presence.exits},
                       {"entered_at", t.presence.entered_at ? boost::json::value(format_utc(t.presence.entered_at))
                                                            : boost::json::value(nullptr)},
                       {"entered_device", t.presence.entered_device}});
  for (const auto& key : list->event_keys)
    if (auto e = events_.find_event(key))
      events.push_back({{"key", e->key}, {"title", e->title}, {"venue", e->venue}, {"starts_at", format_utc(e->starts_at)}});
  return json_response(200, {{"list", list_json(*list)},
                             {"tickets", std::move(tickets)},
                             {"events", std::move(events)},
                             {"ticket_key", service_.ticket_key()}});
}

Response CheckinListsApi::scans(const Request& req, const std::string& id_text) {
  // An unknown list is found by the store in the scans' own transaction (std::invalid_argument below).
  const auto id = list_id(id_text);
  if (!id) return no_list(req, id_text);
  const auto role = parse_role(req.actor_role);
  if (role == Role::door && !lists_.find_checkin_list(*id)) return no_list(req, id_text);
  if (!service_.may_use(*id, req.actor, role)) return not_assigned(req, *id);
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("scans") || !body.as_object().at("scans").is_array())
    return malformed(req, "Send {\"scans\": [{\"device\", \"scan_id\", \"code\", \"direction\", \"at\"}, …]}.");
  std::vector<ScanInputText> in;
  FieldErrors errors;
  const auto& list = body.as_object().at("scans").as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "scans[" + std::to_string(i) + "].";
    if (!list[i].is_object()) {
      errors.emplace_back("scans[" + std::to_string(i) + "]", "must be an object");
      continue;
    }
    const auto& s = list[i].as_object();
    ScanInputText t;
    for (auto [name, field] : {std::pair{"device", &t.device}, std::pair{"scan_id", &t.scan_id}, std::pair{"code", &t.code},
                               std::pair{"direction", &t.direction}})
      if (auto it = s.find(name); it != s.end()) {
        if (it->value().is_string()) *field = std::string(it->value().as_string());
        else errors.emplace_back(at + name, "must be a string");
      }
    if (auto it = s.find("at"); it != s.end() && !it->value().is_null()) {
      t.at = parse_instant(it->value());
      if (!t.at) errors.emplace_back(at + "at", "must be an RFC 3339 date-time with an offset");
    }
    if (auto it = s.find("offline"); it != s.end()) {
      if (it->value().is_bool()) t.decided_offline = it->value().as_bool();
      else errors.emplace_back(at + "offline", "must be true or false");
    }
    in.push_back(std::move(t));
  }
  if (!errors.empty()) return invalid(req, errors);
  std::variant<std::vector<ScanResult>, FieldErrors> recorded;
  try {
    recorded = service_.scan(*id, in);
  } catch (const std::invalid_argument&) {
    return no_list(req, id_text);
  }
  if (auto* e = std::get_if<FieldErrors>(&recorded)) return invalid(req, *e);
  boost::json::array results;
  for (const auto& r : std::get<std::vector<ScanResult>>(recorded)) {
    boost::json::value presence = nullptr;
    if (r.registration_id)
      presence = boost::json::object{{"inside", r.presence.inside},
                                     {"entries", r.presence.entries},
                                     {"exits", r.presence.exits},
                                     {"entered_at", r.presence.entered_at ? boost::json::value(format_utc(r.presence.entered_at))
                                                                          : boost::json::value(nullptr)},
                                     {"entered_device", r.presence.entered_device}};
    results.push_back({{"device", r.device},
                       {"scan_id", r.scan_id},
                       {"outcome", std::string(to_string(r.outcome))},
                       {"reason", r.refusal == ScanRefusal::none ? boost::json::value(nullptr)
                                                                 : boost::json::value(std::string(to_string(r.refusal)))},
                       {"replayed", r.replayed},
                       {"flagged", r.flagged},
                       {"attendee", r.registration_id ? boost::json::value(boost::json::object{{"name", r.attendee_name}})
                                                      : boost::json::value(nullptr)},
                       {"event_key", r.event_key.empty() ? boost::json::value(nullptr) : boost::json::value(r.event_key)},
                       {"presence", std::move(presence)}});
  }
  Response resp = json_response(200, {{"results", std::move(results)}});
  return resp;
}

Response CheckinListsApi::status(const Request& req, const std::string& id_text) {
  const auto id = list_id(id_text);
  const auto list = id ? lists_.find_checkin_list(*id) : std::nullopt;
  if (!list) return no_list(req, id_text);
  if (!service_.may_use(*id, req.actor, parse_role(req.actor_role))) return not_assigned(req, *id);
  const auto s = lists_.checkin_status(*id);
  boost::json::array venues;
  for (const auto& [venue, inside] : s.venues) venues.push_back({{"venue", venue}, {"inside", inside}});
  const bool alarm = list->room_capacity && s.inside * 100 >= *list->room_capacity * list->alarm_percent;
  Response resp = json_response(200, {{"list_id", list->id},
                                      {"name", list->name},
                                      {"inside", s.inside},
                                      {"entries", s.entries},
                                      {"exits", s.exits},
                                      {"duplicates", s.duplicates},
                                      {"venues", std::move(venues)},
                                      {"room_capacity", list->room_capacity ? boost::json::value(*list->room_capacity)
                                                                            : boost::json::value(nullptr)},
                                      {"alarm_percent", list->alarm_percent},
                                      {"alarm", alarm}});
  return resp;
}

}  // namespace marquee
