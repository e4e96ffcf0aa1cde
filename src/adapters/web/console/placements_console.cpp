#include "adapters/web/console/placements_console.hpp"

#include <cstdio>
#include <map>

#include "adapters/http/form.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/web/partner_pages.hpp"
#include "core/datetime_text.hpp"
#include "core/placement_selection.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

std::int64_t to_id(const std::string& s) { return parse_int(s).value_or(0); }

std::string money(std::int64_t cents, const std::string& currency) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%02lld %s", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100),
                currency.c_str());
  return buf;
}

// "250", "250.5", "250.50" → 25050; nullopt for anything else.
std::optional<std::int64_t> parse_money(const std::string& text) {
  std::string t = text;
  for (auto& c : t)
    if (c == ',') c = '.';
  const auto dot = t.find('.');
  const std::string whole = t.substr(0, dot), frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || frac.size() > 2) return std::nullopt;
  for (char c : whole + frac)
    if (c < '0' || c > '9') return std::nullopt;
  std::int64_t cents = std::stoll(whole) * 100;
  if (!frac.empty()) cents += std::stoll(frac) * (frac.size() == 1 ? 10 : 1);
  return cents;
}

// The moves an operator may make from `s` (the buttons of a row).
std::vector<std::pair<std::string, std::string>> moves_from(PlacementState s) {
  using S = PlacementState;
  switch (s) {
    case S::draft: return {{"mark_paid", "Mark paid"}, {"cancel", "Cancel"}};
    case S::awaiting_payment: return {{"mark_paid", "Mark paid"}, {"cancel", "Cancel"}};
    case S::paid: return {{"approve", "Approve"}, {"cancel", "Cancel"}, {"refund", "Refund"}};
    case S::scheduled:
    case S::active: return {{"pause", "Pause"}, {"end", "End"}, {"cancel", "Cancel"}};
    case S::paused: return {{"resume", "Resume"}, {"end", "End"}};
    case S::ended:
    case S::cancelled: return {{"refund", "Mark refunded"}};
    case S::refunded: return {};
  }
  return {};
}

}  // namespace

PlacementsConsole::PlacementsConsole(SiteRef site, Store& store, PlacementService& placements, PartnerReports& reports,
                                     PaymentGateway* gateway, const Clock& clock)
    : site_(std::move(site)), store_(store), placements_(placements), reports_(reports), gateway_(gateway), clock_(clock) {}

void PlacementsConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/placements", Capability::view, [this](const Request& r, const PathParams&) { return queue(r); });
  route("POST", "/admin/placements/{id}/move", Capability::operate,
        [this](const Request& r, const PathParams& p) { return move(r, p.at("id")); });
  route("POST", "/admin/placements/{id}/checkout", Capability::operate,
        [this](const Request& r, const PathParams& p) { return checkout(r, p.at("id")); });
  route("GET", "/admin/partners", Capability::view, [this](const Request& r, const PathParams&) { return partners(r); });
  route("POST", "/admin/partners", Capability::operate,
        [this](const Request& r, const PathParams&) { return create_partner(r); });
  route("GET", "/admin/partners/{id}", Capability::view,
        [this](const Request& r, const PathParams& p) { return partner(r, p.at("id")); });
  route("POST", "/admin/partners/{id}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return edit_partner(r, p.at("id")); });
  route("POST", "/admin/partners/{id}/placements", Capability::operate,
        [this](const Request& r, const PathParams& p) { return create_placement(r, p.at("id")); });
  route("POST", "/admin/partners/{id}/links", Capability::operate,
        [this](const Request& r, const PathParams& p) { return create_link(r, p.at("id")); });
  route("POST", "/admin/partners/{id}/links/{link}/revoke", Capability::operate,
        [this](const Request& r, const PathParams& p) { return revoke_link(r, p.at("id"), p.at("link")); });
}

namespace {

// One placement as a row of the queue or of a partner's page.
TemplateData placement_row(const Placement& p, const std::optional<Event>& e, const std::string& partner,
                           UnixSeconds now, bool can_operate, bool can_pay) {
  TemplateData r{object{}};
  const std::string zone = e ? e->time_zone : "UTC";
  r.set("id", std::to_string(p.id));
  r.set("partner", partner);
  r.set("partner_id", std::to_string(p.partner_id));
  r.set("event", e ? e->title : p.event_key);
  r.set("event_key", p.event_key);
  r.set("slot", std::string(to_string(p.slot)));
  const LocalTime a = to_local(p.starts_at, zone), b = to_local(p.ends_at, zone);
  r.set("window", a.date + " " + a.time + " – " + b.date + " " + b.time + " (" + zone + ")");
  r.set("price", money(p.price_cents, p.currency));
  r.set("state", std::string(to_string(effective_state(p, now))));
  r.set("priority", std::to_string(p.priority));
  r.set("share", std::to_string(p.share_of_voice));
  std::string why;
  if (p.state == PlacementState::scheduled || p.state == PlacementState::active) {
    if (!e) why = "its event no longer exists";
    else if (auto w = why_not_showing(p, *e, now); w && effective_state(p, now) == PlacementState::active) why = *w;
  }
  set_text(r, "why_not", why);
  TemplateData actions{list{}};
  if (can_operate)
    for (const auto& [move, label] : moves_from(p.state)) {
      TemplateData a{object{}};
      a.set("move", move);
      a.set("label", label);
      actions.push_back(a);
    }
  r.set("actions", actions);
  r.set("can_pay", can_operate && can_pay && p.price_cents > 0 &&
                       (p.state == PlacementState::draft || p.state == PlacementState::awaiting_payment));
  return r;
}

}  // namespace

Response PlacementsConsole::queue(const Request& req) {
  const ConsoleUser user = console_user(req);
  const UnixSeconds now = clock_.now();
  const auto all = store_.list_placements(0);
  std::map<std::int64_t, std::string> names;
  for (const auto& p : store_.list_partners()) names[p.id] = p.name;
  std::map<std::string, std::optional<Event>> events;
  std::map<std::string, std::string> categories;
  for (const auto& p : all)
    if (!events.count(p.event_key)) {
      events[p.event_key] = store_.find_event(p.event_key);
      if (events[p.event_key]) categories[p.event_key] = events[p.event_key]->category;
    }
  TemplateData d = console_data(user);
  TemplateData approve{list{}}, unpaid{list{}}, drafts{list{}}, live{list{}}, finished{list{}};
  for (const auto& p : all) {
    TemplateData row = placement_row(p, events[p.event_key], names[p.partner_id], now, user.can(Capability::operate, true),
                                     gateway_ != nullptr);
    switch (p.state) {
      case PlacementState::paid: approve.push_back(row); break;
      case PlacementState::awaiting_payment: unpaid.push_back(row); break;
      case PlacementState::draft: drafts.push_back(row); break;
      case PlacementState::scheduled:
      case PlacementState::active:
      case PlacementState::paused: live.push_back(row); break;
      default: finished.push_back(row); break;
    }
  }
  TemplateData sections{list{}};
  auto section = [&](const char* id, const char* title, const char* hint, TemplateData rows) {
    TemplateData s{object{}};
    s.set("id", id);
    s.set("title", title);
    s.set("hint", hint);
    s.set("rows", rows);
    s.set("empty", rows.is_list() && rows.list_value().empty());
    sections.push_back(s);
  };
  section("approve", "Paid, to approve", "Check the event and the partner's material, then approve: it shows from the start of its window.", approve);
  section("unpaid", "Awaiting payment", "The partner has a payment link; Stripe's webhook moves these on.", unpaid);
  section("drafts", "Drafts", "Make a payment link, or mark paid when the partner paid otherwise.", drafts);
  section("live", "Scheduled, showing or paused", "What the public sees follows each window to the second.", live);
  section("finished", "Ended, cancelled or refunded", "", finished);
  d.set("sections", sections);
  TemplateData conflicts{list{}};
  for (const auto& c : find_slot_conflicts(all, categories)) {
    TemplateData t{object{}};
    std::string members;
    for (auto id : c.members) members += (members.empty() ? "#" : ", #") + std::to_string(id);
    t.set("text", std::to_string(c.members.size()) + " placements (" + members + ") compete for the " +
                      std::string(to_string(c.slot)) + (c.category.empty() ? "" : " slot of " + c.category) +
                      " slot from " + format_utc(c.starts_at) + ", which shows " + std::to_string(c.shown) +
                      " at a time: they rotate by priority, then share of voice.");
    conflicts.push_back(t);
  }
  d.set("conflicts", conflicts);
  d.set("has_conflicts", !conflicts.list_value().empty());
  return console_page(site_, user, 200, "Placements", "placements", "admin_placements", d, req.param("notice"));
}

Response PlacementsConsole::move(const Request& req, const std::string& id) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  auto m = parse_operator_move(form["move"]);
  if (!m) return console_error(site_, user, 422, "Not a move", "Choose one of the buttons.", "/admin/placements");
  const PlacementMoved out = placements_.move(to_id(id), *m, req.actor);
  const std::string back = form["back"] == "partner" ? "/admin/partners/" + std::to_string(out.placement.partner_id)
                                                     : std::string("/admin/placements");
  switch (out.result) {
    case PlacementMoved::Result::not_found:
      return console_error(site_, user, 404, "No such placement", "There is no placement " + id + ".", "/admin/placements");
    case PlacementMoved::Result::refused:
      return console_error(site_, user, 409, "Not possible",
                           "Placement " + id + " is " + std::string(to_string(out.placement.state)) + ": " + out.reason + ".",
                           back);
    default: break;
  }
  return see_other(back + "?notice=" + (out.warning.empty() ? "placement-moved" : "placement-hidden"));
}

Response PlacementsConsole::checkout(const Request& req, const std::string& id) {
  const ConsoleUser user = console_user(req);
  if (!gateway_)
    return console_error(site_, user, 503, "Payments not configured",
                         "No Stripe secret key is configured (MARQUEE_STRIPE_SECRET_KEY or --stripe-secret-key-file).",
                         "/admin/placements");
  const CheckoutStarted out = placements_.start_checkout(to_id(id), *gateway_, site_.get().public_url, req.actor);
  switch (out.result) {
    case CheckoutStarted::Result::not_found:
      return console_error(site_, user, 404, "No such placement", "There is no placement " + id + ".", "/admin/placements");
    case CheckoutStarted::Result::refused:
      return console_error(site_, user, 409, "No payment link", "No payment link: " + out.reason + ".", "/admin/placements");
    case CheckoutStarted::Result::failed:
      return console_error(site_, user, 502, "Stripe did not make the link", out.reason, "/admin/placements");
    case CheckoutStarted::Result::started: break;
  }
  TemplateData d = console_data(user);
  d.set("title", "Payment link for placement " + id);
  d.set("url", out.url);
  d.set("lead", "Send this link to the partner. It is valid for 24 hours; when the payment is confirmed, the placement "
                "moves to \"paid\" and waits for your approval here.");
  d.set("back", "/admin/placements");
  return console_page(site_, user, 201, "Payment link", "placements", "admin_link_once", d);
}

Response PlacementsConsole::partners(const Request& req, const std::string& message, int status) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  std::map<std::int64_t, int> counts;
  for (const auto& p : store_.list_placements(0)) ++counts[p.partner_id];
  TemplateData rows{list{}};
  for (const auto& p : store_.list_partners()) {
    TemplateData r{object{}};
    r.set("id", std::to_string(p.id));
    r.set("name", p.name);
    set_text(r, "email", p.contact_email);
    r.set("placements", std::to_string(counts[p.id]));
    rows.push_back(r);
  }
  d.set("rows", rows);
  set_text(d, "message", message);
  return console_page(site_, user, status, "Partners", "placements", "admin_partners", d, req.param("notice"));
}

Response PlacementsConsole::create_partner(const Request& req) {
  auto form = parse_form(req.body);
  const PartnerSaved saved = placements_.save_partner(Partner{0, form["name"], form["contact_email"], form["notes"], 0, 0}, req.actor);
  if (!saved.errors.empty()) return partners(req, "Not added: " + saved.errors.front().second, 422);
  return see_other("/admin/partners/" + std::to_string(saved.id) + "?notice=partner-saved");
}

Response PlacementsConsole::partner(const Request& req, const std::string& id, const std::string& message, int status) {
  const ConsoleUser user = console_user(req);
  auto p = store_.find_partner(to_id(id));
  if (!p) return console_error(site_, user, 404, "No such partner", "There is no partner " + id + ".", "/admin/partners");
  const UnixSeconds now = clock_.now();
  TemplateData d = console_data(user);
  d.set("id", std::to_string(p->id));
  d.set("partner_id", std::to_string(p->id));
  d.set("name", p->name);
  d.set("contact_email", p->contact_email);
  d.set("notes", p->notes);
  set_text(d, "message", message);
  // The figures of ?from=&to= (default the last 30 days), as the partner sees them.
  std::string error;
  auto range = partner_report_range(req, reports_.today(), &error);
  if (!range) {
    set_text(d, "range_error", error);
    range = partner_report_range(Request{}, reports_.today(), &error);
  }
  d.set("csv_href", "/api/v1/admin/partners/" + std::to_string(p->id) + "/report.csv?from=" + range->from + "&to=" + range->to);
  const PartnerReport report = reports_.report(*p, *range);
  d.set("from", range->from);
  d.set("to", range->to);
  TemplateData rows{list{}};
  for (const auto& r : report.placements) {
    TemplateData row = placement_row(r.placement, store_.find_event(r.placement.event_key), p->name, now,
                                     user.can(Capability::operate, true), gateway_ != nullptr);
    row.set("impressions", std::to_string(r.totals.impressions));
    row.set("unique_clicks", std::to_string(r.totals.unique_clicks));
    row.set("registrations", std::to_string(r.totals.registrations));
    rows.push_back(row);
  }
  d.set("rows", rows);
  TemplateData links{list{}};
  for (const auto& t : store_.list_partner_tokens(p->id)) {
    TemplateData l{object{}};
    l.set("id", std::to_string(t.id));
    l.set("created", format_utc(t.created_at) + " by " + t.created_by);
    l.set("expires", t.expires_at ? format_utc(*t.expires_at) : std::string("never"));
    const bool active = !t.revoked_at && (!t.expires_at || *t.expires_at > now);
    l.set("status", t.revoked_at ? "revoked " + format_utc(*t.revoked_at) : active ? std::string("active") : std::string("expired"));
    l.set("active", active);
    links.push_back(l);
  }
  d.set("links", links);
  TemplateData events{list{}};
  for (const auto& e : store_.list_events()) {
    TemplateData o{object{}};
    o.set("key", e.key);
    o.set("label", e.title + " (" + e.key + ", " + to_local(e.starts_at, e.time_zone).date + ")");
    events.push_back(o);
  }
  d.set("events", events);
  return console_page(site_, user, status, p->name, "placements", "admin_partner", d, req.param("notice"));
}

Response PlacementsConsole::edit_partner(const Request& req, const std::string& id) {
  auto form = parse_form(req.body);
  const auto n = parse_id(id);
  if (!n) return console_error(site_, console_user(req), 404, "No such partner", "There is no partner " + id + ".", "/admin/partners");
  const PartnerSaved saved =
      placements_.save_partner(Partner{*n, form["name"], form["contact_email"], form["notes"], 0, 0}, req.actor);
  if (!saved.found) return console_error(site_, console_user(req), 404, "No such partner", "There is no partner " + id + ".", "/admin/partners");
  if (!saved.errors.empty()) return partner(req, id, "Not saved: " + saved.errors.front().second, 422);
  return see_other("/admin/partners/" + id + "?notice=partner-saved");
}

Response PlacementsConsole::create_placement(const Request& req, const std::string& id) {
  auto form = parse_form(req.body);
  Placement p;
  p.partner_id = to_id(id);
  p.event_key = form["event_key"];
  std::vector<std::string> problems;
  auto slot = parse_placement_slot(form["slot"]);
  if (!slot) problems.emplace_back("Choose a slot.");
  else p.slot = *slot;
  const auto event = store_.find_event(p.event_key);
  const std::string zone = event ? event->time_zone : "UTC";
  for (auto [name, field] : {std::pair<const char*, UnixSeconds*>{"starts_at", &p.starts_at}, {"ends_at", &p.ends_at}}) {
    auto dt = parse_datetime_text(form[name], DateOrder::ymd);
    if (!dt || !dt->has_time) problems.emplace_back(std::string(name == std::string("starts_at") ? "Start" : "End") +
                                                    ": give a date and time.");
    else *field = to_utc(*dt, zone);
  }
  p.priority = static_cast<int>(parse_int(form["priority"]).value_or(5));
  p.share_of_voice = static_cast<int>(parse_int(form["share_of_voice"]).value_or(100));
  if (auto cents = parse_money(form["price"].empty() ? "0" : form["price"])) p.price_cents = *cents;
  else problems.emplace_back("Price: a number such as 250 or 249.50.");
  p.currency = form["currency"].empty() ? "eur" : form["currency"];
  p.notes = form["notes"];
  if (!problems.empty()) return partner(req, id, "Not added: " + problems.front(), 422);
  const PlacementSaved saved = placements_.create_placement(p, req.actor);
  if (saved.result != PlacementSaved::Result::created)
    return partner(req, id, "Not added: " + (saved.errors.empty() ? std::string("unknown partner") : saved.errors.front().second), 422);
  return see_other("/admin/partners/" + id + "?notice=placement-created");
}

Response PlacementsConsole::create_link(const Request& req, const std::string& id) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  std::optional<int> days;
  if (auto n = parse_int(form["expires_in_days"]); n && *n > 0 && *n <= 3650) days = static_cast<int>(*n);
  const auto link = reports_.issue_link(to_id(id), days, form["rotate"] == "1", req.actor);
  if (!link) return console_error(site_, user, 404, "No such partner", "There is no partner " + id + ".", "/admin/partners");
  TemplateData d = console_data(user);
  d.set("title", "Report link");
  d.set("url", site_.get().public_url + "/partners/" + link->token);
  d.set("lead", std::string("Send this link to the partner; it shows their placements only. It is shown this once (Marquee "
                            "keeps only a hash of it)") +
                    (link->expires_at ? "; it works until " + format_utc(*link->expires_at) + "." : "; it works until revoked."));
  d.set("back", "/admin/partners/" + id);
  return console_page(site_, user, 201, "Report link", "placements", "admin_link_once", d);
}

Response PlacementsConsole::revoke_link(const Request& req, const std::string& id, const std::string& link) {
  if (!store_.revoke_partner_token(to_id(id), to_id(link), ChangeBy{req.actor, clock_.now(), ""}))
    return console_error(site_, console_user(req), 404, "No such link", "Partner " + id + " has no active link " + link + ".",
                         "/admin/partners/" + id);
  return see_other("/admin/partners/" + id + "?notice=link-revoked");
}

}  // namespace marquee
