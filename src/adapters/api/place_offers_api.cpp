#include "adapters/api/place_offers_api.hpp"

#include <boost/json/parse.hpp>

#include <map>

#include "adapters/api/registration_json.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

Response no_event(const Request& req, const std::string& key) {
  return problem(404, "/problems/event-not-found", "Event not found", "No event has the key '" + key + "'", req.path);
}


boost::json::object settings_json(const EventOperations& o) {
  boost::json::object j{{"promotion", std::string(to_string(o.promotion))}, {"offer_hours", o.offer_hours}, {"transfers", o.transfers}};
  if (o.reminder_offsets) j["reminders"] = *o.reminder_offsets;
  else j["reminders"] = nullptr;
  j["reconfirm_hours"] = o.reconfirm_hours ? boost::json::value(*o.reconfirm_hours) : boost::json::value(nullptr);
  j["reconfirm_release_hours"] =
      o.reconfirm_release_hours ? boost::json::value(*o.reconfirm_release_hours) : boost::json::value(nullptr);
  j["overbook_percent"] = o.overbook_percent;
  j["door_release_minutes"] = o.door_release_minutes ? boost::json::value(*o.door_release_minutes) : boost::json::value(nullptr);
  return j;
}

}  // namespace

void PlaceOffersApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Access access, Handler h) {
    router.add(Route{method, pattern, access, std::move(h), true, Capability::attendees});
  };
  router.add(Route{"POST", "/api/v1/registrations/{token}/offer/accept", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return answer(r, p.at("token"), true); }, true});
  router.add(Route{"POST", "/api/v1/registrations/{token}/offer/decline", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return answer(r, p.at("token"), false); }, true});
  route("GET", "/api/v1/events/{key}/operations", Access::staff,
        [this](const Request& r, const PathParams& p) { return read(r, p.at("key")); });
  route("PUT", "/api/v1/events/{key}/operations", Access::staff,
        [this](const Request& r, const PathParams& p) { return save(r, p.at("key")); });
  route("POST", "/api/v1/events/{key}/offers", Access::staff,
        [this](const Request& r, const PathParams& p) { return offer(r, p.at("key")); });
}

Response PlaceOffersApi::answer(const Request& req, const std::string& token, bool accept) {
  const OfferOutcome out = accept ? offers_.accept(token) : offers_.decline(token);
  const OfferAnswerText& t = offer_answer_text(out.result);
  if (out.result == OfferAnswer::accepted || out.result == OfferAnswer::declined)
    return private_json(200, {{"result", accept ? "accepted" : "declined"},
                              {"registration", registration_json(out.registration)},
                              {"offer", offer_json(*out.offer)}});
  if (out.result == OfferAnswer::not_found)
    return problem(404, "/problems/registration-not-found", "Registration not found", "No registration has this token.",
                   req.path);
  std::string detail(t.page_message);
  if (out.result == OfferAnswer::expired && out.offer)
    detail = "The offer expired at " + format_utc(out.offer->expires_at) +
             "; the place went to the next person waiting and this registration has ended.";
  return problem(t.status, std::string(t.problem_type), std::string(t.title), detail, req.path);
}

Response PlaceOffersApi::read(const Request& req, const std::string& key) {
  if (!offers_.event_exists(key)) return no_event(req, key);
  const auto counts = offers_.counts(key).value_or(EventCounts{});
  boost::json::array offers;
  for (const auto& o : offers_.offers_of(key)) offers.push_back(offer_json(o));
  boost::json::object c{{"confirmed", counts.confirmed}, {"waitlisted", counts.waitlisted}, {"offered", counts.offered}};
  const auto event = offers_.event(key);
  if (event && event->capacity) c["capacity"] = *event->capacity;
  else c["capacity"] = nullptr;
  if (counts.capacity) c["place_limit"] = *counts.capacity;  // the capacity plus the overbooking
  else c["place_limit"] = nullptr;
  boost::json::object body = settings_json(offers_.operations(key));
  if (const auto risk = no_shows_.risk(key)) {
    boost::json::object r{{"room", risk->room},
                          {"places", risk->places},
                          {"show_rate", risk->show_rate},
                          {"history_events", risk->history_events},
                          {"history_places", risk->history_expected},
                          {"history_scope", risk->scope},
                          {"expected_turnout", risk->expected_turnout},
                          {"overflow_chance", risk->overflow_chance}};
    body["overbooking_risk"] = std::move(r);
  } else body["overbooking_risk"] = nullptr;
  body["event_key"] = key;
  body["counts"] = std::move(c);
  body["offers"] = std::move(offers);
  return json_response(200, body);
}

Response PlaceOffersApi::save(const Request& req, const std::string& key) {
  boost::system::error_code ec;
  auto json = boost::json::parse(req.body, ec);
  if (ec || !json.is_object())
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "Send {\"promotion\": \"automatic\" or \"offer\", \"offer_hours\": 12, \"transfers\": false}.", req.path);
  const auto& o = json.as_object();
  std::string promotion, hours;
  std::optional<bool> transfers;
  if (auto it = o.find("promotion"); it != o.end()) promotion = it->value().is_string() ? std::string(it->value().as_string()) : "?";
  if (auto it = o.find("offer_hours"); it != o.end())
    hours = it->value().is_int64() ? std::to_string(it->value().as_int64()) : "not a number";
  if (auto it = o.find("transfers"); it != o.end()) {
    if (!it->value().is_bool())
      return field_problem("/problems/invalid-operations", "Invalid event settings", {{"transfers", "true or false"}}, req.path);
    transfers = it->value().as_bool();
  }
  std::optional<std::string> reminders;
  if (auto it = o.find("reminders"); it != o.end()) {
    if (it->value().is_null()) reminders = "default";
    else if (it->value().is_string()) reminders = std::string(it->value().as_string());
    else
      return field_problem("/problems/invalid-operations", "Invalid event settings",
                           {{"reminders", "a text such as \"24h, 2h\", \"off\", or null for the installation's"}}, req.path);
  }
  // reconfirm_hours / reconfirm_release_hours: a number of hours, or null for off.
  auto hours_of = [&](const char* name, std::optional<std::string>& out) {
    auto it = o.find(name);
    if (it == o.end()) return true;
    if (it->value().is_null()) out = "off";
    else if (it->value().is_int64()) out = std::to_string(it->value().as_int64());
    else return false;
    return true;
  };
  std::optional<std::string> reconfirm, release, overbook, door_release;
  if (!hours_of("door_release_minutes", door_release))
    return field_problem("/problems/invalid-operations", "Invalid event settings",
                         {{"door_release_minutes", "whole minutes after the start (5 to 240), or null for off"}}, req.path);
  if (!hours_of("reconfirm_hours", reconfirm) || !hours_of("reconfirm_release_hours", release))
    return field_problem("/problems/invalid-operations", "Invalid event settings",
                         {{"reconfirm_hours", "reconfirm_hours and reconfirm_release_hours: whole hours, or null for off"}}, req.path);
  if (auto it = o.find("overbook_percent"); it != o.end()) {
    if (!it->value().is_int64())
      return field_problem("/problems/invalid-operations", "Invalid event settings",
                           {{"overbook_percent", "a whole number of percent from 0 to 100"}}, req.path);
    overbook = std::to_string(it->value().as_int64());
  }
  const OperationsSaved saved =
      offers_.save(key, OperationsChange{promotion, hours, transfers, reminders, reconfirm, release, overbook, door_release}, req.actor);
  if (!saved.found) return no_event(req, key);
  if (!saved.errors.empty())
    return field_problem("/problems/invalid-operations", "Invalid event settings", saved.errors, req.path);
  return read(req, key);
}

Response PlaceOffersApi::offer(const Request& req, const std::string& key) {
  boost::system::error_code ec;
  auto json = boost::json::parse(req.body, ec);
  if (ec || !json.is_object() || !json.as_object().contains("registration_id") ||
      !json.as_object().at("registration_id").is_int64())
    return problem(400, "/problems/malformed-request", "Malformed request",
                   "Send {\"registration_id\": 17, \"add_place\": false}.", req.path);
  const auto& o = json.as_object();
  const std::int64_t id = o.at("registration_id").as_int64();
  const bool add_place = o.contains("add_place") && o.at("add_place").is_bool() && o.at("add_place").as_bool();
  if (auto r = offers_.registration(id); !r || r->event_key != key)
    return problem(404, "/problems/registration-not-found", "Registration not found",
                   "Event '" + key + "' has no registration " + std::to_string(id) + ".", req.path);
  const HandOffer h = offers_.offer(id, add_place, req.actor);
  if (h.result == HandOfferResult::offered) {
    boost::json::object body{{"offer", offer_json(*h.offer)}, {"place_added", h.place_added}};
    if (h.capacity) body["capacity"] = *h.capacity;
    else body["capacity"] = nullptr;
    return json_response(201, body);
  }
  if (h.result == HandOfferResult::not_found)
    return problem(404, "/problems/registration-not-found", "Registration not found", "No registration has this id.",
                   req.path);
  static const std::map<HandOfferResult, std::pair<const char*, const char*>> kinds = {
      {HandOfferResult::not_waitlisted, {"/problems/not-waitlisted", "Not on the waiting list"}},
      {HandOfferResult::already_offered, {"/problems/already-offered", "Already offered"}},
      {HandOfferResult::no_free_place, {"/problems/no-free-place", "No free place"}},
      {HandOfferResult::closed, {"/problems/offers-closed", "Offers closed"}}};
  const auto& [type, title] = kinds.at(h.result);
  return problem(409, type, title, WaitingListOffers::refusal_detail(h), req.path);
}

}  // namespace marquee
