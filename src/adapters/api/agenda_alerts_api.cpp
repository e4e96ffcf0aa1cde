#include "adapters/api/agenda_alerts_api.hpp"

#include <boost/json/parse.hpp>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/http/rate_limited.hpp"

namespace marquee {
namespace {

boost::json::object alert_json(const std::optional<AgendaAlert>& a) {
  if (!a) return {{"state", "none"}, {"email", nullptr}};
  return {{"state", a->state}, {"email", mask_email(a->email)}};
}

Response no_agenda(const Request& req) {
  return problem(404, "/problems/not-found", "Not Found",
                 "There is no agenda at this link. It may have been unused for over a year and removed; make a new one.",
                 req.path);
}

// {"email": "..."} → the address, or "" with `error` set.
std::string email_of(const std::string& body, std::string* error) {
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  if (ec || !json.is_object() || !json.as_object().contains("email") || !json.as_object().at("email").is_string()) {
    *error = "Send {\"email\": \"you@example.org\"}.";
    return "";
  }
  return std::string(json.as_object().at("email").as_string());
}

}  // namespace

void AgendaAlertsApi::add_routes(Router& router) {
  // Store calls: on the blocking lane, never on the I/O threads.
  router.add(Route{"GET", "/api/v1/agendas/{token}/alerts", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return read(r, p.at("token")); }, true});
  router.add(Route{"POST", "/api/v1/agendas/{token}/alerts", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return subscribe(r, p.at("token")); }, true});
  router.add(Route{"DELETE", "/api/v1/agendas/{token}/alerts", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return remove(r, p.at("token")); }, true});
  router.add(Route{"POST", "/api/v1/alerts/erase", Access::staff,
                   [this](const Request& r, const PathParams&) { return erase(r); }, true, Capability::attendees});
}

Response AgendaAlertsApi::read(const Request&, const std::string& token) {
  return json_response(200, alert_json(alerts_.live(token)));
}

Response AgendaAlertsApi::subscribe(const Request& req, const std::string& token) {
  if (auto limited = rate_limited(limit_, req, clock_.now())) return *limited;
  std::string error;
  const std::string email = email_of(req.body, &error);
  if (!error.empty()) return problem(400, "/problems/malformed-request", "Malformed request", error, req.path);
  auto done = alerts_.subscribe(token, email);
  if (auto* errors = std::get_if<FieldErrors>(&done))
    return field_problem("/problems/invalid-alert", "Invalid alert", *errors, req.path, "Please correct: email");
  const auto& s = std::get<AlertSubscribed>(done);
  switch (s.result) {
    case AlertSubscribed::Result::no_agenda: return no_agenda(req);
    case AlertSubscribed::Result::too_many: {
      Response r = problem(429, "/problems/too-many-requests", "Too many requests",
                           "That address was sent " + std::to_string(AgendaAlerts::kConfirmationsPerDay) +
                               " confirmation messages in the last 24 hours; use the link in one of them, or try again tomorrow.",
                           req.path);
      r.headers.emplace_back("Retry-After", "86400");
      return r;
    }
    case AlertSubscribed::Result::already_confirmed: return json_response(200, alert_json(s.alert));
    case AlertSubscribed::Result::pending: break;
  }
  return json_response(202, alert_json(s.alert));
}

Response AgendaAlertsApi::remove(const Request& req, const std::string& token) {
  if (auto limited = rate_limited(limit_, req, clock_.now())) return *limited;
  if (!alerts_.remove(token))
    return problem(404, "/problems/not-found", "Not Found", "This agenda has no e-mail alert.", req.path);
  Response r;
  r.status = 204;
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response AgendaAlertsApi::erase(const Request& req) {
  std::string error;
  const std::string email = email_of(req.body, &error);
  if (!error.empty()) return problem(400, "/problems/malformed-request", "Malformed request", error, req.path);
  const auto n = alerts_.erase(email, req.actor);
  if (!n)
    return field_problem("/problems/invalid-request", "Invalid request", {{"email", "must be an e-mail address"}}, req.path);
  return json_response(200, {{"erased", *n}});
}

}  // namespace marquee
