#include "adapters/api/agendas_api.hpp"

#include <boost/json/parse.hpp>

#include "adapters/http/form.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/http/rate_limited.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

boost::json::object agenda_json(const Agenda& a, const std::string& token) {
  boost::json::array events;
  for (const auto& k : a.event_keys) events.emplace_back(k);
  return {{"events", std::move(events)},
          {"revision", a.revision},
          {"updated_at", format_utc(a.updated_at)},
          {"links", boost::json::object{{"self", "/api/v1/agendas/" + token},
                                        {"calendar", "/agenda/" + token + "/calendar.ics"}}}};
}

Response answer(int status, const Agenda& a, const std::string& token) {
  Response r = json_response(status, agenda_json(a, token));
  r.headers.emplace_back("ETag", "\"r" + std::to_string(a.revision) + "\"");
  return r;
}

Response no_agenda(const Request& req) {
  return problem(404, "/problems/not-found", "Not Found",
                 "There is no agenda at this link. It may have been unused for over a year and removed; make a new one.",
                 req.path);
}

// If-Match: "r<revision>" (strong comparison, RFC 9110 §13.1.1: a weak tag
// never matches, so it reads as revision -1); none or "*": any revision.
std::optional<std::optional<std::int64_t>> expected_revision(const Request& req) {
  std::string v = req.header("if-match");
  if (v.empty() || v == "*") return std::optional<std::int64_t>();
  if (v.starts_with("W/")) return std::optional<std::int64_t>(-1);
  if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'r') return std::nullopt;
  const auto n = parse_int(v.substr(2, v.size() - 3));
  if (!n || *n < 0) return std::nullopt;
  return std::optional<std::int64_t>(*n);
}

}  // namespace

void AgendasApi::add_routes(Router& router) {
  // Store calls: on the blocking lane, never on the I/O threads.
  router.add(Route{"POST", "/api/v1/agendas", Access::public_access,
                   [this](const Request& r, const PathParams&) { return create(r); }, true});
  router.add(Route{"GET", "/api/v1/agendas/{token}", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return read(r, p.at("token")); }, true});
  router.add(Route{"PUT", "/api/v1/agendas/{token}", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return write(r, p.at("token")); }, true});
}

Response AgendasApi::create(const Request& req) {
  if (auto limited = rate_limited(create_limit_, req.remote_address, "new agendas from your address", req, clock_.now()))
    return *limited;
  const NewAgenda made = service_.create();
  boost::json::object body = agenda_json(made.agenda, made.token);
  body["token"] = made.token;
  Response r = json_response(201, body);
  r.headers.emplace_back("Location", "/api/v1/agendas/" + made.token);
  r.headers.emplace_back("ETag", "\"r0\"");
  return r;
}

Response AgendasApi::read(const Request& req, const std::string& token) {
  const auto a = service_.find(token);
  if (!a) return no_agenda(req);
  return answer(200, *a, token);
}

Response AgendasApi::write(const Request& req, const std::string& token) {
  // Per agenda, not per address: a festival's Wi-Fi puts thousands of phones behind one address.
  if (auto limited = rate_limited(write_limit_, "agenda:" + token.substr(0, 16), "changes to this agenda", req, clock_.now()))
    return *limited;
  const auto expected = expected_revision(req);
  if (!expected)
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "If-Match must be the ETag of the agenda as read, e.g. \"r3\".", req.path);
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("events") || !body.as_object().at("events").is_array())
    return problem(400, "/problems/malformed-request", "Malformed request", "Send {\"events\": [event keys]}.", req.path);
  std::vector<std::string> keys;
  FieldErrors errors;
  const auto& list = body.as_object().at("events").as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].is_string()) keys.emplace_back(list[i].as_string());
    else errors.emplace_back("events[" + std::to_string(i) + "]", "must be an event key (a string)");
  }
  if (errors.empty()) {
    auto saved = service_.save(token, keys, *expected);
    if (auto* e = std::get_if<FieldErrors>(&saved)) errors = *e;
    else {
      const auto& s = std::get<AgendaSaved>(saved);
      switch (s.result) {
        case AgendaSaved::Result::not_found: return no_agenda(req);
        case AgendaSaved::Result::conflict:
          return problem(412, "/problems/agenda-changed", "Changed on another device",
                         "The agenda was changed on another device since you read it; merge with the agenda below and "
                         "send it again with its ETag.",
                         req.path, {{"agenda", agenda_json(*s.agenda, token)}});
        case AgendaSaved::Result::saved: return answer(200, *s.agenda, token);
      }
    }
  }
  return field_problem("/problems/invalid-agenda", "Invalid agenda", errors, req.path);
}

}  // namespace marquee
