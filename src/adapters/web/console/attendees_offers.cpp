// The attendee list's waiting list (issue 21): the event's promotion rule,
// the places held by open offers, and offers by hand.
#include <cstdio>

#include "adapters/http/form.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/web/console/attendees_console.hpp"
#include "adapters/web/html_response.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

}  // namespace

void AttendeesConsole::waiting_list_data(TemplateData& d, const Event& e, const EventCounts& counts) {
  const EventOperations ops = offers_.operations(e.key);
  d.set("waitlist_on", e.waitlist);
  d.set("promotion_offer", ops.promotion == Promotion::offer);
  d.set("promotion_automatic", ops.promotion == Promotion::automatic);
  d.set("offer_hours", std::to_string(ops.offer_hours));
  d.set("transfers", ops.transfers);
  set_text(d, "reminders", ops.reminder_offsets ? (ops.reminder_offsets->empty() ? std::string("off") : *ops.reminder_offsets)
                                          : std::string());
  set_text(d, "reconfirm", ops.reconfirm_hours ? std::to_string(*ops.reconfirm_hours) : std::string());
  set_text(d, "reconfirm_release", ops.reconfirm_release_hours ? std::to_string(*ops.reconfirm_release_hours) : std::string());
  d.set("min_offer_hours", std::to_string(kMinOfferHours));
  d.set("max_offer_hours", std::to_string(kMaxOfferHours));
  d.set("offered", std::to_string(counts.offered));
  const bool free = !counts.capacity || counts.taken() < *counts.capacity;
  d.set("free_places", counts.capacity ? std::to_string(std::max<std::int64_t>(0, *counts.capacity - counts.taken()))
                                       : std::string("unlimited"));
  d.set("no_free_place", !free);
  d.set("next_capacity", e.capacity ? std::to_string(*e.capacity + 1) : std::string());
  // Overbooking: the place limit and, from earlier events' show rate, what it risks.
  d.set("overbook", std::to_string(ops.overbook_percent));
  set_text(d, "door_release", ops.door_release_minutes ? std::to_string(*ops.door_release_minutes) : std::string());
  d.set("overbooked", ops.overbook_percent > 0);
  d.set("has_capacity", e.capacity.has_value());
  set_text(d, "room", e.capacity ? std::to_string(*e.capacity) : std::string());
  set_text(d, "place_limit", counts.capacity ? std::to_string(*counts.capacity) : std::string());
  // This event's own history so far: how many of those asked "Still coming?" said yes.
  std::int64_t asked = 0, yes = 0;
  for (const auto& r : registrations_.registrations().list_registrations(e.key, false)) {
    if (r.reconfirm_asked_at) ++asked;
    if (r.reconfirmed_at) ++yes;
  }
  d.set("has_answers", asked > 0);
  d.set("asked", std::to_string(asked));
  d.set("reconfirmed", std::to_string(yes));
  {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f %%", asked ? 100.0 * static_cast<double>(yes) / static_cast<double>(asked) : 0.0);
    d.set("reconfirmed_share", std::string(buf));
  }
  const auto risk = no_shows_.risk(e.key);
  d.set("has_risk", risk.has_value());
  if (risk) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.0f %%", risk->show_rate * 100);
    d.set("show_rate", std::string(buf));
    d.set("risk_scope", risk->scope);
    d.set("risk_events", std::to_string(risk->history_events));
    d.set("risk_places", std::to_string(risk->history_expected));
    d.set("risk_turnout", std::to_string(risk->expected_turnout));
    const double pct = risk->overflow_chance * 100;
    if (risk->places <= risk->room) std::snprintf(buf, sizeof buf, "none (no more places than the room holds)");
    else if (pct < 0.1) std::snprintf(buf, sizeof buf, "under 0.1 %%");
    else if (pct > 99.9) std::snprintf(buf, sizeof buf, "over 99.9 %%");
    else std::snprintf(buf, sizeof buf, "%.1f %%", pct);
    d.set("risk_chance", std::string(buf));
    d.set("risk_high", risk->overflow_chance >= 0.05);
  }
}

Response AttendeesConsole::save_waiting_list(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  const OperationsSaved saved =
      offers_.save(key,
                   OperationsChange{form["promotion"], form["offer_hours"], form.count("transfers") > 0,
                                    form.count("reminders") ? std::optional<std::string>(trim(form["reminders"]).empty() ? "default" : form["reminders"])
                                                            : std::nullopt,
                                    form.count("reconfirm") ? std::optional<std::string>(form["reconfirm"]) : std::nullopt,
                                    // No asking means no releasing: an emptied "Ask" switches both off in one save.
                                    form.count("reconfirm_release")
                                        ? std::optional<std::string>(trim(form["reconfirm"]).empty() ? "off" : form["reconfirm_release"])
                                        : std::nullopt,
                                    form.count("overbook") ? std::optional<std::string>(form["overbook"]) : std::nullopt,
                                    form.count("door_release") ? std::optional<std::string>(form["door_release"]) : std::nullopt},
                   req.actor);
  if (!saved.found) return console_error(site_, user, 404, "No such event", "No event has the key '" + key + "'.", "/admin/attendees");
  if (!saved.errors.empty()) {
    std::string detail;
    for (const auto& [field, message] : saved.errors)
      detail += (detail.empty() ? "" : " ") +
                std::string(field == "promotion"   ? "Promotion"
                            : field == "reminders" ? "Reminders"
                            : field.starts_with("reconfirm") ? "Still coming?"
                            : field == "overbook_percent" ? "Overbooking"
                            : field == "door_release_minutes" ? "Release at the door"
                                                   : "Offer hours") + ": " +
                message + ".";
    return console_error(site_, user, 422, "Settings not saved", detail, "/admin/attendees/" + key);
  }
  return see_other("/admin/attendees/" + key + "?notice=saved");
}

Response AttendeesConsole::offer_place(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  const auto id = parse_int(form["registration_id"]);
  const auto r = id ? registrations_.registrations().find_registration(*id) : std::nullopt;
  if (!r || r->event_key != key)
    return console_error(site_, user, 404, "No such registration",
                         "Event '" + key + "' has no registration '" + form["registration_id"] + "'.", "/admin/attendees/" + key);
  const HandOffer h = offers_.offer(*id, form["add_place"] == "1", req.actor);
  if (h.result != HandOfferResult::offered)
    return console_error(site_, user, 409, "No offer made", "Registration " + std::to_string(*id) + ": " +
                                                                WaitingListOffers::refusal_detail(h) + ".",
                         "/admin/attendees/" + key);
  return see_other("/admin/attendees/" + key + "?notice=offer-made");
}

}  // namespace marquee
