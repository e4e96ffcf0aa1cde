#include "adapters/api/self_service_api.hpp"

#include "adapters/api/registration_json.hpp"
#include "adapters/http/json_response.hpp"
#include <algorithm>

#include "adapters/http/problem.hpp"
#include "adapters/http/rate_limited.hpp"
#include "app/agenda_alerts.hpp"

namespace marquee {
namespace {


Response not_found(const Request& req) {
  return problem(404, "/problems/registration-not-found", "Registration not found", "No registration has this token.",
                 req.path);
}

Response too_late(const Request& req, const std::string& what) {
  return problem(409, "/problems/too-late", "Too late",
                 "This registration can no longer be " + what +
                     ": it is cancelled, checked in or erased, or the event is cancelled or has started.",
                 req.path);
}

}  // namespace

void SelfServiceApi::add_routes(Router& router) {
  router.add(Route{"PATCH", "/api/v1/registrations/{token}", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return change(r, p.at("token")); }, true});
  router.add(Route{"POST", "/api/v1/registrations/{token}/transfer", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return transfer(r, p.at("token")); }, true});
}

std::optional<Event> SelfServiceApi::event_of(const std::string& token) {
  auto r = registrations_.find(token);
  if (!r) return std::nullopt;
  if (auto e = events_(r->event_key)) return e;
  return registrations_.events().find_event(r->event_key);
}

Response SelfServiceApi::change(const Request& req, const std::string& token) {
  auto event = event_of(token);
  auto current = registrations_.find(token);
  if (!event || !current) return not_found(req);
  RegistrationInput in;
  in.name = current->name;  // absent members keep their value
  if (auto error = read_registration_body(req.body, &in); !error.empty())
    return problem(400, "/problems/malformed-request", "Malformed request", error, req.path);
  if (!in.email.empty())
    return field_problem("/problems/invalid-registration", "Invalid registration",
                         {{"email", "the address is not changed here: transfer the registration to another person instead"}},
                         req.path);
  // The answers sent replace those to the same questions; the others stay (to questions the event still asks).
  Answers merged;
  for (const auto& q : event->questions) {
    auto given = std::find_if(in.answers.begin(), in.answers.end(), [&](const auto& a) { return a.first == q.id; });
    auto kept = std::find_if(current->answers.begin(), current->answers.end(), [&](const auto& a) { return a.first == q.id; });
    if (given != in.answers.end()) merged.push_back(*given);
    else if (kept != current->answers.end()) merged.push_back(*kept);
  }
  for (const auto& a : in.answers)  // answers to unknown questions: refused by the validation, named
    if (std::none_of(event->questions.begin(), event->questions.end(), [&](const Question& q) { return q.id == a.first; }))
      merged.push_back(a);
  DetailsReply reply = self_service_.change_details(token, *event, in.name, merged);
  if (!reply.errors.empty())
    return field_problem("/problems/invalid-registration", "Invalid registration", reply.errors, req.path);
  switch (reply.outcome.result) {
    case DetailsResult::updated:
    case DetailsResult::unchanged:
      return private_json(200, {{"result", reply.outcome.result == DetailsResult::updated ? "updated" : "unchanged"},
                                {"registration", registration_json(reply.outcome.registration)}});
    case DetailsResult::closed: return too_late(req, "changed");
    case DetailsResult::not_found: break;
  }
  return not_found(req);
}

Response SelfServiceApi::transfer(const Request& req, const std::string& token) {
  if (auto limited = rate_limited(limiter_, req, registrations_.clock().now())) return *limited;
  auto event = event_of(token);
  if (!event) return not_found(req);
  RegistrationInput to;
  if (auto error = read_registration_body(req.body, &to); !error.empty())
    return problem(400, "/problems/malformed-request", "Malformed request", error, req.path);
  TransferReply reply = self_service_.transfer(token, *event, to, "attendee");
  if (!reply.errors.empty())
    return field_problem("/problems/invalid-registration", "Invalid registration", reply.errors, req.path);
  switch (reply.outcome.result) {
    case TransferResult::transferred:
      // Never the new holder's link: it goes to their address only.
      return private_json(200, {{"result", "transferred"}, {"to", mask_email(reply.outcome.registration.email)}});
    case TransferResult::same_email:
      return field_problem("/problems/invalid-registration", "Invalid registration",
                           {{"email", "this is the holder's own address"}}, req.path);
    case TransferResult::duplicate_email:
      return problem(409, "/problems/already-registered", "Already registered",
                     "That address holds a registration for this event already.", req.path);
    case TransferResult::not_allowed:
      return problem(409, "/problems/transfers-not-allowed", "Transfers not allowed",
                     "This event does not allow passing a place on.", req.path);
    case TransferResult::closed: return too_late(req, "passed on");
    case TransferResult::not_found: break;
  }
  return not_found(req);
}

}  // namespace marquee
