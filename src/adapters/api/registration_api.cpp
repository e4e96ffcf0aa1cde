#include "adapters/api/registration_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "adapters/http/json_response.hpp"
#include "adapters/http/rate_limited.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/api/registration_json.hpp"
#include "adapters/export/attendee_export.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {



}  // namespace

RegistrationApi::RegistrationApi(RegistrationService& service, EventLookup events, AddressLimit& limiter)
    : service_(service), events_(std::move(events)), limiter_(limiter) {}

void RegistrationApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Access access, Handler h,
                   Capability capability = Capability::view) {
    router.add(Route{method, pattern, access, std::move(h), true, capability});
  };
  route("POST", "/api/v1/events/{key}/registrations", Access::public_access,
        [this](const Request& r, const PathParams& p) { return register_json(r, p.at("key")); });
  route("GET", "/api/v1/registrations/{token}", Access::public_access,
        [this](const Request& r, const PathParams& p) { return view(r, p.at("token")); });
  route("POST", "/api/v1/registrations/{token}/cancel", Access::public_access,
        [this](const Request& r, const PathParams& p) { return cancel(r, p.at("token")); });
  route("POST", "/api/v1/checkins", Access::staff, [this](const Request& r, const PathParams&) { return checkin(r); },
        Capability::check_in);
  route("GET", "/api/v1/events/{key}/attendees", Access::staff,
        [this](const Request& r, const PathParams& p) { return attendees(r, p.at("key"), "json"); },
        Capability::attendees);
  route("GET", "/api/v1/events/{key}/attendees.csv", Access::staff,
        [this](const Request& r, const PathParams& p) { return attendees(r, p.at("key"), "csv"); },
        Capability::attendees);
  route("GET", "/api/v1/events/{key}/attendees.xlsx", Access::staff,
        [this](const Request& r, const PathParams& p) { return attendees(r, p.at("key"), "xlsx"); },
        Capability::attendees);
  route("GET", "/api/v1/attendees.csv", Access::staff,
        [this](const Request& r, const PathParams&) { return attendees(r, "", "csv"); },
        Capability::attendees);
  route("GET", "/api/v1/attendees.xlsx", Access::staff,
        [this](const Request& r, const PathParams&) { return attendees(r, "", "xlsx"); },
        Capability::attendees);
  route("POST", "/api/v1/attendees/{id}/erase", Access::staff,
        [this](const Request& r, const PathParams& p) { return erase(r, p.at("id")); },
        Capability::attendees);
}

Response RegistrationApi::register_json(const Request& req, const std::string& key) {
  if (auto limited = rate_limited(limiter_, req, service_.clock().now())) return *limited;
  auto event = events_(key);
  if (!event)
    return problem(404, "/problems/event-not-found", "Event not found", "No public event has the key '" + key + "'",
                   req.path);
  RegistrationInput in;
  if (auto error = read_registration_body(req.body, &in); !error.empty())
    return problem(400, "/problems/malformed-request", "Malformed request", error, req.path);
  in.idempotency_key = req.header("idempotency-key");
  RegistrationReply reply = service_.register_attendee(*event, in);
  if (!reply.errors.empty()) {
    std::string fields;
    for (const auto& [field, message] : reply.errors) fields += (fields.empty() ? "" : ", ") + field;
    return field_problem("/problems/invalid-registration", "Invalid registration", reply.errors, req.path,
                         "Please correct: " + fields);
  }
  if (counter_ && (reply.result == RegisterResult::confirmed || reply.result == RegisterResult::waitlisted))
    counter_->count(req, Signal{SignalKind::registration, key,
                                reply.result == RegisterResult::confirmed ? "confirmed" : "waitlisted"});
  switch (reply.result) {
    case RegisterResult::confirmed:
    case RegisterResult::waitlisted:
    case RegisterResult::replayed: {
      const int status = reply.result == RegisterResult::confirmed    ? 201
                         : reply.result == RegisterResult::waitlisted ? 202
                                                                      : reply.registration.first_status;
      Response r = private_json(status, {{"registration", registration_json(reply.registration)},
                                         {"token", reply.token},
                                         {"links", registration_links(reply.token)}});
      r.headers.emplace_back("Location", "/api/v1/registrations/" + reply.token);
      if (reply.result == RegisterResult::replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
      return r;
    }
    default: {
      const RegisterResultText& t = register_result_text(reply.result);
      return problem(t.status, std::string(t.problem_type), std::string(t.title),
                     register_result_detail(reply.result, key, event->capacity), req.path);
    }
  }
  return problem(500, "/problems/internal", "Internal Server Error", "Unexpected registration result", req.path);
}

Response RegistrationApi::view(const Request& req, const std::string& token) {
  auto r = service_.find(token);
  if (!r) return problem(404, "/problems/registration-not-found", "Registration not found",
                         "No registration has this token.", req.path);
  boost::json::object body{{"registration", registration_json(*r)}, {"links", registration_links(token)}};
  if (auto offer = service_.offers().open_offer(r->id)) body["offer"] = offer_json(*offer);
  else body["offer"] = nullptr;
  return private_json(200, body);
}

Response RegistrationApi::cancel(const Request& req, const std::string& token) {
  CancelOutcome out = service_.cancel(token, "attendee");
  switch (out.result) {
    case CancelResult::cancelled:
      return private_json(200, {{"registration", registration_json(out.registration)},
                                {"promoted_waitlisted", out.promoted.has_value()}});
    case CancelResult::already_cancelled:
      return problem(409, "/problems/already-cancelled", "Already cancelled",
                     "This registration was already cancelled.", req.path);
    case CancelResult::checked_in:
      return problem(409, "/problems/checked-in", "Already checked in",
                     "A registration that was checked in can no longer be cancelled.", req.path);
    case CancelResult::not_found:
      break;
  }
  return problem(404, "/problems/registration-not-found", "Registration not found", "No registration has this token.",
                 req.path);
}

Response RegistrationApi::checkin(const Request& req) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("code") || !v.as_object().at("code").is_string())
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "Send a JSON object {\"code\": \"<ticket code>\"}.", req.path);
  CheckinOutcome out = service_.check_in(std::string(v.as_object().at("code").as_string()), req.actor);
  boost::json::object who{{"registration_id", out.registration.id},
                          {"event_key", out.registration.event_key},
                          {"name", out.registration.name},
                          {"state", std::string(to_string(out.registration.state))}};
  switch (out.result) {
    case CheckinResult::checked_in:
      who["checked_in_at"] = format_utc(*out.registration.checked_in_at);
      return json_response(200, {{"checked_in", true}, {"attendee", who}});
    case CheckinResult::already_checked_in: {
      const std::string at = format_utc(*out.registration.checked_in_at);
      return problem(409, "/problems/already-checked-in", "Already checked in",
                     "This ticket was already checked in at " + at + ".", req.path,
                     {{"checked_in_at", at}, {"attendee", who}});
    }
    case CheckinResult::not_confirmed:
      return problem(409, "/problems/not-confirmed", "No confirmed place",
                     "This ticket does not hold a place (state: " + std::string(to_string(out.registration.state)) + ").",
                     req.path, {{"attendee", who}});
    case CheckinResult::other_event:
      return problem(409, "/problems/other-event", "Ticket for another event",
                     "This ticket is for the event '" + out.registration.event_key + "', not this door's.", req.path,
                     {{"attendee", who}});
    case CheckinResult::not_found:
      break;
  }
  return problem(404, "/problems/ticket-not-found", "Unknown ticket", "No registration has this ticket code.", req.path);
}

Response RegistrationApi::attendees(const Request& req, const std::string& key, const std::string& format) {
  RegistrationStore& store = service_.registrations();
  std::vector<Event> events = service_.events().list_events();
  if (!key.empty() && std::none_of(events.begin(), events.end(), [&](const Event& e) { return e.key == key; }))
    return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
  const auto regs = store.list_registrations(key, format == "json");
  if (format == "json") {
    boost::json::array items;
    for (const auto& r : regs) items.push_back(registration_json(r));
    auto counts = store.event_counts(key).value_or(EventCounts{});
    boost::json::object c{{"confirmed", counts.confirmed}, {"waitlisted", counts.waitlisted}, {"offered", counts.offered}};
    // capacity: the room; place_limit: what the event confirms (the capacity plus its overbooking).
    const auto event = std::find_if(events.begin(), events.end(), [&](const Event& e) { return e.key == key; });
    if (event != events.end() && event->capacity) c["capacity"] = *event->capacity;
    else c["capacity"] = nullptr;
    if (counts.capacity) c["place_limit"] = *counts.capacity;
    else c["place_limit"] = nullptr;
    return json_response(200, {{"event_key", key}, {"counts", c}, {"registrations", std::move(items)}});
  }
  const AttendeeTable table = attendee_table(events, regs);
  Response r;
  r.headers.emplace_back("Cache-Control", "no-store");
  const std::string base = key.empty() ? "attendees" : "attendees-" + key;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::make_shared<const std::string>(attendees_csv(table));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + base + ".csv\"");
  } else {
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::make_shared<const std::string>(attendees_xlsx(table));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + base + ".xlsx\"");
  }
  return r;
}

Response RegistrationApi::erase(const Request& req, const std::string& id) {
  std::int64_t n = 0;
  try {
    std::size_t used = 0;
    n = std::stoll(id, &used);
    if (used != id.size()) throw std::invalid_argument(id);
  } catch (const std::exception&) {
    return problem(404, "/problems/registration-not-found", "Registration not found", "No registration " + id, req.path);
  }
  if (!service_.erase(n, req.actor))
    return problem(404, "/problems/registration-not-found", "Registration not found", "No registration " + id, req.path);
  return json_response(200, {{"erased", true}, {"registration_id", n}});
}

}  // namespace marquee
