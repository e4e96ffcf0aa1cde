#include "adapters/api/admin_events_api.hpp"

#include <boost/json/parse.hpp>

#include <set>

#include "adapters/render/event_json.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/time_zone.hpp"
#include "core/datetime_text.hpp"
#include "core/text.hpp"
#include "app/event_edit.hpp"
#include "core/validation.hpp"

namespace marquee {
namespace {

std::string etag(const Event& e) { return "\"v" + std::to_string(e.version) + "\""; }

boost::json::object working_json(const Event& e) {
  ProgrammeEntry p;
  p.event = e;
  boost::json::object o = event_json(p);
  o["version"] = e.version;
  boost::json::array warnings;
  for (const auto& w : e.warnings) warnings.push_back({{"field", w.field}, {"message", w.message}});
  o["warnings"] = std::move(warnings);
  o["retention_days"] = e.retention_days ? boost::json::value(*e.retention_days) : boost::json::value(nullptr);
  return o;
}

// Applies the JSON members present in `patch` to `e`; field errors go to `errors`.
void apply_patch(const boost::json::object& patch, Event& e, std::vector<std::pair<std::string, std::string>>& errors) {
  auto text = [&](const char* name, std::string& field) {
    if (auto it = patch.find(name); it != patch.end()) {
      if (it->value().is_string()) {
        // LF line endings; a value that differs only by them changes nothing.
        const std::string value = normalize_newlines(std::string(it->value().as_string()));
        if (value != normalize_newlines(field)) field = value;
      }
      else errors.emplace_back(name, "must be a string");
    }
  };
  for (auto [name, field] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"title", &e.title}, {"description", &e.description}, {"venue", &e.venue}, {"address", &e.address},
           {"room", &e.room}, {"category", &e.category}, {"organizer", &e.organizer}, {"url", &e.url},
           {"image_url", &e.image_url}, {"price", &e.price}})
    text(name, *field);
  if (auto it = patch.find("time_zone"); it != patch.end()) {
    auto zone = it->value().is_string() ? canonical_zone(std::string(it->value().as_string())) : std::nullopt;
    if (zone) e.time_zone = *zone;
    else errors.emplace_back("time_zone", "must be an IANA time zone such as Europe/Berlin");
  }
  for (auto [name, field] : std::initializer_list<std::pair<const char*, UnixSeconds*>>{{"starts_at", &e.starts_at},
                                                                                       {"ends_at", &e.ends_at}}) {
    auto it = patch.find(name);
    if (it == patch.end()) continue;
    auto dt = it->value().is_string() ? parse_datetime_text(std::string(it->value().as_string()), DateOrder::ymd)
                                      : std::nullopt;
    if (!dt) errors.emplace_back(name, "must be a date-time such as 2027-06-11T19:00:00+02:00");
    else *field = to_utc(*dt, e.time_zone);
  }
  for (auto [name, field] : std::initializer_list<std::pair<const char*, bool*>>{
           {"all_day", &e.all_day}, {"registration", &e.registration}, {"waitlist", &e.waitlist}}) {
    auto it = patch.find(name);
    if (it == patch.end()) continue;
    if (it->value().is_bool()) *field = it->value().as_bool();
    else errors.emplace_back(name, "must be true or false");
  }
  for (auto [name, field] : std::initializer_list<std::pair<const char*, std::optional<std::int64_t>*>>{
           {"capacity", &e.capacity}, {"retention_days", &e.retention_days}}) {
    auto it = patch.find(name);
    if (it == patch.end()) continue;
    if (it->value().is_null()) field->reset();
    else if (it->value().is_int64() && it->value().as_int64() >= 0) *field = it->value().as_int64();
    else errors.emplace_back(name, "must be a whole number of 0 or more, or null");
  }
  if (auto it = patch.find("status"); it != patch.end()) {
    auto s = it->value().is_string() ? parse_event_status(std::string(it->value().as_string())) : std::nullopt;
    if (s) e.status = *s;
    else errors.emplace_back("status", "must be draft, published or cancelled");
  }
  if (auto it = patch.find("tags"); it != patch.end()) {
    std::vector<std::string> tags;
    bool ok = it->value().is_array();
    if (ok)
      for (const auto& t : it->value().as_array()) {
        if (!t.is_string()) ok = false;
        else tags.emplace_back(t.as_string());
      }
    if (ok) e.tags = std::move(tags);
    else errors.emplace_back("tags", "must be an array of strings");
  }
  if (auto it = patch.find("questions"); it != patch.end()) {
    std::string why;
    auto q = it->value().is_string() ? parse_questions(std::string(it->value().as_string()), &why) : std::nullopt;
    if (q) e.questions = std::move(*q);
    else errors.emplace_back("questions", why.empty() ? "must be the question text form" : why);
  }
  for (const auto& [k, v] : patch) {
    static const std::set<std::string> known = {"title", "description", "venue", "address", "room", "category",
                                                "organizer", "url", "image_url", "price", "time_zone", "starts_at",
                                                "ends_at", "all_day", "registration", "waitlist", "capacity",
                                                "retention_days", "status", "tags", "questions"};
    if (!known.count(std::string(k))) errors.emplace_back(std::string(k), "is not a field that can be edited");
  }
}

}  // namespace

AdminEventsApi::AdminEventsApi(EventReader& events, EventMoves& moves) : events_(events), moves_(moves) {}

void AdminEventsApi::add_routes(Router& router) {
  router.add(Route{"GET", "/api/v1/admin/events", Access::staff, [this](const Request&, const PathParams&) { return list(); },
                   true, Capability::view});
  router.add(Route{"GET", "/api/v1/admin/events/{key}", Access::staff,
                   [this](const Request& r, const PathParams& p) { return get(r, p.at("key")); }, true, Capability::view});
  router.add(Route{"PATCH", "/api/v1/admin/events/{key}", Access::staff,
                   [this](const Request& r, const PathParams& p) { return patch(r, p.at("key")); }, true,
                   Capability::content});
}

Response AdminEventsApi::list() {
  boost::json::array items;
  for (const auto& e : events_.list_events()) items.push_back(working_json(e));
  return json_response(200, {{"events", std::move(items)}});
}

Response AdminEventsApi::get(const Request& req, const std::string& key) {
  auto e = events_.find_event(key);
  if (!e) return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
  Response r = json_response(200, {{"event", working_json(*e)}});
  r.headers.emplace_back("ETag", etag(*e));
  return r;
}

Response AdminEventsApi::patch(const Request& req, const std::string& key) {
  auto current = events_.find_event(key);
  if (!current) return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
  const std::string if_match = req.header("if-match");
  if (if_match.empty())
    return problem(428, "/problems/precondition-required", "Precondition Required",
                   "Send If-Match with the ETag you read, so that another editor's change is not overwritten.", req.path);
  std::int64_t expected = -1;
  if (if_match.size() > 3 && if_match.starts_with("\"v") && if_match.ends_with("\"")) {
    try {
      expected = std::stoll(if_match.substr(2, if_match.size() - 3));
    } catch (const std::exception&) {
    }
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object())
    return problem(400, "/problems/malformed-request", "Malformed request", "Send a JSON object with the fields to change.", req.path);
  Event edited = *current;
  std::vector<std::pair<std::string, std::string>> errors;
  apply_patch(body.as_object(), edited, errors);
  FieldEdit out;
  if (errors.empty()) {
    out = moves_.save(*current, std::move(edited), expected, req.actor);
    for (const auto& i : out.errors) errors.emplace_back(i.field, i.message);
  }
  if (!errors.empty()) {
    // The store's refusal says itself (capacity below the confirmed places); field errors are listed.
    if (out.below_confirmed) return field_problem("/problems/invalid-event", "Invalid event", errors, req.path, errors[0].second);
    return field_problem("/problems/invalid-event", "Invalid event", errors, req.path);
  }
  if (out.result == FieldEdit::Result::conflict || out.result == FieldEdit::Result::not_found)
    return problem(412, "/problems/edit-conflict", "Precondition Failed",
                   "Someone else changed this event since you read it (now version " + std::to_string(out.event.version) +
                       "); their version is in `current`. Reapply your change to it.",
                   req.path, {{"current", working_json(out.event)}});
  Response r = json_response(200, {{"event", working_json(out.event)}, {"changed", out.result == FieldEdit::Result::saved}});
  r.headers.emplace_back("ETag", etag(out.event));
  return r;
}

}  // namespace marquee
