#include "adapters/api/placements_api.hpp"

#include <boost/json/parse.hpp>

#include <set>

#include "adapters/http/form.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/datetime_text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using Errors = FieldErrors;

std::string etag(const Placement& p) { return "\"v" + std::to_string(p.version) + "\""; }

boost::json::object partner_json(const Partner& p) {
  return {{"id", p.id}, {"name", p.name}, {"contact_email", p.contact_email}, {"notes", p.notes},
          {"created_at", format_utc(p.created_at)}, {"updated_at", format_utc(p.updated_at)}};
}

Response invalid(const Request& req, const char* type, const char* title, const Errors& errors) {
  return field_problem(type, title, errors, req.path);
}

std::optional<boost::json::object> json_body(const Request& req) {
  boost::system::error_code ec;
  auto body = boost::json::parse(req.body, ec);
  if (ec || !body.is_object()) return std::nullopt;
  return body.as_object();
}

Response malformed(const Request& req) {
  return problem(400, "/problems/malformed-request", "Malformed request", "Send a JSON object with the fields.", req.path);
}

void read_text(const boost::json::object& o, const char* name, std::string& field, Errors& errors) {
  auto it = o.find(name);
  if (it == o.end()) return;
  if (it->value().is_string()) field = std::string(it->value().as_string());
  else errors.emplace_back(name, "must be a string");
}

void read_int(const boost::json::object& o, const char* name, auto& field, Errors& errors) {
  auto it = o.find(name);
  if (it == o.end()) return;
  if (it->value().is_int64()) field = static_cast<std::remove_reference_t<decltype(field)>>(it->value().as_int64());
  else errors.emplace_back(name, "must be a whole number");
}

}  // namespace

PlacementsApi::PlacementsApi(Store& store, PlacementService& service, const Clock& clock, PaymentGateway* gateway,
                             std::function<std::string()> public_url)
    : store_(store), service_(service), clock_(clock), gateway_(gateway), public_url_(std::move(public_url)) {}

namespace {

// The event's zone, for windows given without an offset (UTC when the event is unknown).
std::string zone_of(Store& store, const std::string& key) {
  if (auto e = store.find_event(key)) return e->time_zone;
  return "UTC";
}

boost::json::object placement_json(Store& store, const Placement& p, UnixSeconds now) {
  const auto partner = store.find_partner(p.partner_id);
  const auto event = store.find_event(p.event_key);
  const std::string zone = event ? event->time_zone : "UTC";
  boost::json::object o{{"id", p.id},
                        {"partner_id", p.partner_id},
                        {"partner", partner ? partner->name : ""},
                        {"event_key", p.event_key},
                        {"event_title", event ? event->title : ""},
                        {"slot", std::string(to_string(p.slot))},
                        {"starts_at", format_utc(p.starts_at)},
                        {"ends_at", format_utc(p.ends_at)},
                        {"time_zone", zone},
                        {"local_starts_at", format_rfc3339(p.starts_at, zone)},
                        {"local_ends_at", format_rfc3339(p.ends_at, zone)},
                        {"priority", p.priority},
                        {"share_of_voice", p.share_of_voice},
                        {"state", std::string(to_string(p.state))},
                        {"effective_state", std::string(to_string(effective_state(p, now)))},
                        {"price_cents", p.price_cents},
                        {"currency", p.currency},
                        {"checkout_session", p.checkout_session},
                        {"notes", p.notes},
                        {"version", p.version},
                        {"created_at", format_utc(p.created_at)},
                        {"updated_at", format_utc(p.updated_at)}};
  // What the working state says (the public page follows the published programme).
  std::optional<std::string> why = event ? why_not_showing(p, *event, now) : std::optional<std::string>("its event no longer exists");
  o["showing"] = !why;
  o["why_not_showing"] = why ? boost::json::value(*why) : boost::json::value(nullptr);
  return o;
}

// Applies the members of `o` to `p`; windows are read in the zone of the
// (possibly new) event.
void apply_placement(Store& store, const boost::json::object& o, Placement& p, Errors& errors, bool creating) {
  if (creating) read_int(o, "partner_id", p.partner_id, errors);
  read_text(o, "event_key", p.event_key, errors);
  if (auto it = o.find("slot"); it != o.end()) {
    auto slot = it->value().is_string() ? parse_placement_slot(std::string(it->value().as_string())) : std::nullopt;
    if (slot) p.slot = *slot;
    else errors.emplace_back("slot", "must be featured, promoted or category_top");
  }
  const std::string zone = zone_of(store, p.event_key);
  for (auto [name, field] : std::initializer_list<std::pair<const char*, UnixSeconds*>>{{"starts_at", &p.starts_at},
                                                                                       {"ends_at", &p.ends_at}}) {
    auto it = o.find(name);
    if (it == o.end()) {
      if (creating) errors.emplace_back(name, "is required");
      continue;
    }
    auto dt = it->value().is_string() ? parse_datetime_text(std::string(it->value().as_string()), DateOrder::ymd)
                                      : std::nullopt;
    if (!dt || !dt->has_time) errors.emplace_back(name, "must be a date-time such as 2027-06-11T19:00 (the event's zone) or 2027-06-11T17:00:00Z");
    else *field = to_utc(*dt, zone);
  }
  read_int(o, "priority", p.priority, errors);
  read_int(o, "share_of_voice", p.share_of_voice, errors);
  read_int(o, "price_cents", p.price_cents, errors);
  read_text(o, "currency", p.currency, errors);
  read_text(o, "notes", p.notes, errors);
  static const std::set<std::string> known = {"partner_id", "event_key", "slot", "starts_at", "ends_at", "priority",
                                              "share_of_voice", "price_cents", "currency", "notes"};
  for (const auto& [k, v] : o)
    if (!known.count(std::string(k)) || (!creating && k == "partner_id"))
      errors.emplace_back(std::string(k), "is not a field that can be set here");
}

}  // namespace

void PlacementsApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability capability, Handler h) {
    router.add(Route{method, pattern, Access::staff, std::move(h), true, capability});
  };
  route("GET", "/api/v1/admin/partners", Capability::view, [this](const Request&, const PathParams&) { return list_partners(); });
  route("POST", "/api/v1/admin/partners", Capability::operate,
        [this](const Request& r, const PathParams&) { return create_partner(r); });
  route("GET", "/api/v1/admin/partners/{id}", Capability::view,
        [this](const Request& r, const PathParams& p) { return get_partner(r, p.at("id")); });
  route("PATCH", "/api/v1/admin/partners/{id}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return patch_partner(r, p.at("id")); });
  route("GET", "/api/v1/admin/placements", Capability::view,
        [this](const Request& r, const PathParams&) { return list_placements(r); });
  route("POST", "/api/v1/admin/placements", Capability::operate,
        [this](const Request& r, const PathParams&) { return create_placement(r); });
  route("GET", "/api/v1/admin/placements/{id}", Capability::view,
        [this](const Request& r, const PathParams& p) { return get_placement(r, p.at("id")); });
  route("PATCH", "/api/v1/admin/placements/{id}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return patch_placement(r, p.at("id")); });
  route("POST", "/api/v1/admin/placements/{id}/moves", Capability::operate,
        [this](const Request& r, const PathParams& p) { return move_placement(r, p.at("id")); });
  route("POST", "/api/v1/admin/placements/{id}/checkout", Capability::operate,
        [this](const Request& r, const PathParams& p) { return checkout(r, p.at("id")); });
}

Response PlacementsApi::list_partners() {
  boost::json::array items;
  for (const auto& p : store_.list_partners()) items.push_back(partner_json(p));
  return json_response(200, {{"partners", std::move(items)}});
}

Response PlacementsApi::create_partner(const Request& req) {
  auto body = json_body(req);
  if (!body) return malformed(req);
  Partner p;
  Errors errors;
  read_text(*body, "name", p.name, errors);
  read_text(*body, "contact_email", p.contact_email, errors);
  read_text(*body, "notes", p.notes, errors);
  if (errors.empty()) {
    auto saved = service_.save_partner(p, req.actor);
    errors = saved.errors;
    if (errors.empty()) return json_response(201, {{"partner", partner_json(*store_.find_partner(saved.id))}});
  }
  return invalid(req, "/problems/invalid-partner", "Invalid partner", errors);
}

Response PlacementsApi::get_partner(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  auto p = n ? store_.find_partner(*n) : std::nullopt;
  if (!p) return problem(404, "/problems/partner-not-found", "Partner not found", "No partner has the id " + id, req.path);
  boost::json::array placements;
  const UnixSeconds now = clock_.now();
  for (const auto& pl : store_.list_placements(p->id)) placements.push_back(placement_json(store_, pl, now));
  return json_response(200, {{"partner", partner_json(*p)}, {"placements", std::move(placements)}});
}

Response PlacementsApi::patch_partner(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  auto p = n ? store_.find_partner(*n) : std::nullopt;
  if (!p) return problem(404, "/problems/partner-not-found", "Partner not found", "No partner has the id " + id, req.path);
  auto body = json_body(req);
  if (!body) return malformed(req);
  Errors errors;
  read_text(*body, "name", p->name, errors);
  read_text(*body, "contact_email", p->contact_email, errors);
  read_text(*body, "notes", p->notes, errors);
  if (errors.empty()) {
    auto saved = service_.save_partner(*p, req.actor);
    errors = saved.errors;
    if (errors.empty()) return json_response(200, {{"partner", partner_json(*store_.find_partner(p->id))}});
  }
  return invalid(req, "/problems/invalid-partner", "Invalid partner", errors);
}

Response PlacementsApi::list_placements(const Request& req) {
  std::int64_t partner = 0;
  if (!req.param("partner").empty()) {
    auto n = parse_id(req.param("partner"));
    if (!n)
      return problem(400, "/problems/invalid-parameter", "Invalid query parameter", "partner must be a partner id", req.path);
    partner = *n;
  }
  boost::json::array items;
  const UnixSeconds now = clock_.now();
  for (const auto& p : store_.list_placements(partner)) items.push_back(placement_json(store_, p, now));
  return json_response(200, {{"placements", std::move(items)}});
}

Response PlacementsApi::create_placement(const Request& req) {
  auto body = json_body(req);
  if (!body) return malformed(req);
  Placement p;
  Errors errors;
  apply_placement(store_, *body, p, errors, true);
  if (errors.empty()) {
    auto saved = service_.create_placement(p, req.actor);
    if (saved.result == PlacementSaved::Result::created) {
      Response r = json_response(201, {{"placement", placement_json(store_, saved.placement, clock_.now())}});
      r.headers.emplace_back("ETag", etag(saved.placement));
      r.headers.emplace_back("Location", "/api/v1/admin/placements/" + std::to_string(saved.placement.id));
      return r;
    }
    errors = saved.errors;
  }
  return invalid(req, "/problems/invalid-placement", "Invalid placement", errors);
}

Response PlacementsApi::get_placement(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  auto p = n ? store_.find_placement(*n) : std::nullopt;
  if (!p) return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
  boost::json::array history;
  for (const auto& h : store_.placement_history(p->id))
    history.push_back({{"at", format_utc(h.at)}, {"actor", h.actor}, {"action", h.action}, {"from_state", h.from_state},
                       {"to_state", h.to_state}, {"detail", h.detail}});
  Response r = json_response(200, {{"placement", placement_json(store_, *p, clock_.now())}, {"history", std::move(history)}});
  r.headers.emplace_back("ETag", etag(*p));
  return r;
}

Response PlacementsApi::patch_placement(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  auto current = n ? store_.find_placement(*n) : std::nullopt;
  if (!current)
    return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
  const std::string if_match = req.header("if-match");
  if (if_match.empty())
    return problem(428, "/problems/precondition-required", "Precondition Required",
                   "Send If-Match with the ETag you read, so that another operator's change is not overwritten.", req.path);
  std::int64_t expected = -1;
  if (if_match.size() > 3 && if_match.starts_with("\"v") && if_match.ends_with("\"")) {
    if (auto v = parse_id(if_match.substr(2, if_match.size() - 3))) expected = *v;
  }
  auto body = json_body(req);
  if (!body) return malformed(req);
  Placement edited = *current;
  Errors errors;
  apply_placement(store_, *body, edited, errors, false);
  if (!errors.empty()) return invalid(req, "/problems/invalid-placement", "Invalid placement", errors);
  auto saved = service_.edit_placement(edited, expected, req.actor);
  switch (saved.result) {
    case PlacementSaved::Result::invalid:
      return invalid(req, "/problems/invalid-placement", "Invalid placement", saved.errors);
    case PlacementSaved::Result::conflict:
    case PlacementSaved::Result::not_found:
      return problem(412, "/problems/edit-conflict", "Precondition Failed",
                     "Someone else changed this placement since you read it (now version " +
                         std::to_string(saved.placement.version) + "); their version is in `current`. Reapply your change to it.",
                     req.path, {{"current", placement_json(store_, saved.placement, clock_.now())}});
    default: break;
  }
  Response r = json_response(200, {{"placement", placement_json(store_, saved.placement, clock_.now())},
                                   {"changed", saved.result == PlacementSaved::Result::updated}});
  r.headers.emplace_back("ETag", etag(saved.placement));
  return r;
}

Response PlacementsApi::move_placement(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  if (!n) return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
  auto body = json_body(req);
  if (!body) return malformed(req);
  auto it = body->find("move");
  auto move = it != body->end() && it->value().is_string() ? parse_operator_move(std::string(it->value().as_string()))
                                                            : std::nullopt;
  if (!move)
    return invalid(req, "/problems/invalid-move", "Invalid move",
                   {{"move", "must be mark_paid, approve, pause, resume, end, cancel or refund"}});
  auto out = service_.move(*n, *move, req.actor);
  switch (out.result) {
    case PlacementMoved::Result::not_found:
      return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
    case PlacementMoved::Result::refused:
      return problem(409, "/problems/move-not-allowed", "Move not allowed",
                     "This placement is " + std::string(to_string(out.placement.state)) + ": " + out.reason + ".", req.path,
                     {{"current", placement_json(store_, out.placement, clock_.now())}});
    default: break;
  }
  Response r = json_response(200, {{"placement", placement_json(store_, out.placement, clock_.now())},
                                   {"changed", out.result == PlacementMoved::Result::moved},
                                   {"warning", out.warning.empty() ? boost::json::value(nullptr) : boost::json::value(out.warning)}});
  r.headers.emplace_back("ETag", etag(out.placement));
  return r;
}

}  // namespace marquee

namespace marquee {

Response PlacementsApi::checkout(const Request& req, const std::string& id) {
  auto n = parse_id(id);
  if (!n) return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
  if (!gateway_)
    return problem(503, "/problems/not-configured", "Payments not configured",
                   "No Stripe secret key is configured (MARQUEE_STRIPE_SECRET_KEY or --stripe-secret-key-file).", req.path);
  const CheckoutStarted out = service_.start_checkout(*n, *gateway_, public_url_ ? public_url_() : "", req.actor);
  switch (out.result) {
    case CheckoutStarted::Result::not_found:
      return problem(404, "/problems/placement-not-found", "Placement not found", "No placement has the id " + id, req.path);
    case CheckoutStarted::Result::refused:
      return problem(409, "/problems/checkout-not-possible", "Checkout not possible", "No checkout: " + out.reason + ".",
                     req.path, {{"current", placement_json(store_, out.placement, clock_.now())}});
    case CheckoutStarted::Result::failed:
      return problem(502, "/problems/payment-provider", "Payment provider error", out.reason, req.path);
    case CheckoutStarted::Result::started: break;
  }
  Response r = json_response(201, {{"checkout_url", out.url}, {"placement", placement_json(store_, out.placement, clock_.now())}});
  r.headers.emplace_back("ETag", etag(out.placement));
  return r;
}

}  // namespace marquee
