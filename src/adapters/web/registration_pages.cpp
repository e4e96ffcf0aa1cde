#include "adapters/web/registration_pages.hpp"

#include <algorithm>
#include <map>

#include "adapters/formats/ics_writer.hpp"
#include "adapters/http/rate_limited.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/web/attendee_form.hpp"
#include "adapters/render/qr_svg.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/http/form.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;



std::string places_text(const Event& e, const std::optional<EventCounts>& c) {
  if (!e.capacity || !c || !c->capacity) return "Registration is open.";
  // Places held by waiting-list offers are not free; with overbooking the counter's place limit is
  // above the capacity, and never more places than the room has are shown.
  const auto left = std::min(*e.capacity, *c->capacity - c->taken());
  if (left > 0) return std::to_string(left) + " of " + std::to_string(*e.capacity) + " places left.";
  return e.waitlist ? "Full – you can join the waiting list." : "Full – no places left.";
}

}  // namespace

struct RegistrationPages::FormState {
  std::map<std::string, std::string> values;                 // form field → value
  std::vector<std::pair<std::string, std::string>> errors;   // field → message
  std::string message;                                       // a banner (full, duplicate)
};

RegistrationPages::RegistrationPages(SiteRef site, RegistrationService& service, EventLookup events,
                                     AddressLimit& limiter, Confirmation confirmation)
    : site_(std::move(site)),
      service_(service),
      events_(std::move(events)),
      limiter_(limiter),
      confirmation_(std::move(confirmation)) {}

void RegistrationPages::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::public_access, std::move(h), true});
  };
  route("GET", "/events/{key}/register", [this](const Request& r, const PathParams& p) { return show_form(r, p.at("key")); });
  route("POST", "/events/{key}/register", [this](const Request& r, const PathParams& p) { return submit(r, p.at("key")); });
  route("GET", "/r/{token}", [this](const Request& r, const PathParams& p) { return personal(r, p.at("token")); });
  route("POST", "/r/{token}/cancel", [this](const Request& r, const PathParams& p) { return cancel(r, p.at("token")); });
  if (reconfirmations_) {
    route("POST", "/r/{token}/reconfirm", [this](const Request& r, const PathParams& p) { return answer_reconfirm(r, p.at("token"), true); });
    route("POST", "/r/{token}/release", [this](const Request& r, const PathParams& p) { return answer_reconfirm(r, p.at("token"), false); });
  }
  if (offers_) {
    route("POST", "/r/{token}/offer/accept",
          [this](const Request& r, const PathParams& p) { return answer_offer(r, p.at("token"), true); });
    route("POST", "/r/{token}/offer/decline",
          [this](const Request& r, const PathParams& p) { return answer_offer(r, p.at("token"), false); });
  }
  route("GET", "/r/{token}/ticket.svg", [this](const Request& r, const PathParams& p) { return ticket(r, p.at("token"), false); });
  route("GET", "/r/{token}/ticket.png", [this](const Request& r, const PathParams& p) { return ticket(r, p.at("token"), true); });
  route("GET", "/r/{token}/event.ics", [this](const Request& r, const PathParams& p) { return calendar(r, p.at("token")); });
  // The personal feed counts as a feed (one subscriber per client and day), never by whose it is.
  route("GET", "/r/{token}/calendar.ics", [this](const Request& r, const PathParams& p) {
    return count_if_served(counter_, r, personal_feed(r, p.at("token")), Signal{SignalKind::feed_fetch, "", "personal"});
  });
}

Response RegistrationPages::not_found(const std::string& what) {
  return private_html(404, error_page_html(site_, 404, "Not found", what));
}

Response RegistrationPages::form_page(const Event& e, const FormState& state, int status) {
  const auto counts = service_.registrations().event_counts(e.key);
  const bool open = registration_open(e, service_.clock().now());
  const bool full = counts && counts->capacity && counts->taken() >= *counts->capacity;
  TemplateData d{object{}};
  d.set("key", e.key);
  d.set("title", e.title);
  d.set("when", when_text(e));
  set_text(d, "venue", e.venue);
  d.set("places", open ? places_text(e, counts) : "Registration is closed for this event.");
  d.set("open", open && !(full && !e.waitlist));
  d.set("button", full && e.waitlist ? "Join the waiting list" : "Register");
  fill_attendee_form(d, e, AttendeeForm{state.values, state.errors, state.message}, true);
  return private_html(status, layout_page(site_, "Register: " + e.title, render_template("register", d)));
}

Response RegistrationPages::show_form(const Request&, const std::string& key) {
  auto e = events_(key);
  if (!e) return not_found("There is no event with this address in the programme.");
  return form_page(*e, FormState{}, 200);
}

Response RegistrationPages::submit(const Request& req, const std::string& key) {
  auto e = events_(key);
  if (!e) return not_found("There is no event with this address in the programme.");
  if (auto limited = rate_limited(limiter_, req, service_.clock().now())) {
    FormState s;
    s.message = "Too many registrations from your connection. Please wait a minute and try again.";
    Response r = form_page(*e, s, 429);
    for (const auto& h : limited->headers)
      if (h.first == "Retry-After") r.headers.push_back(h);
    return r;
  }
  FormState state;
  state.values = parse_form(req.body);
  RegistrationInput in;
  in.name = state.values["name"];
  in.email = state.values["email"];
  in.answers = answers_from_form(*e, state.values);
  RegistrationReply reply = service_.register_attendee(*e, in);
  if (!reply.errors.empty()) {
    state.errors = reply.errors;
    return form_page(*e, state, 422);
  }
  if (counter_ && (reply.result == RegisterResult::confirmed || reply.result == RegisterResult::waitlisted))
    counter_->count(req, Signal{SignalKind::registration, e->key,
                                reply.result == RegisterResult::confirmed ? "confirmed" : "waitlisted"});
  switch (reply.result) {
    case RegisterResult::confirmed:
    case RegisterResult::waitlisted:
    case RegisterResult::replayed:
      if (confirmation_.by_email && confirmation_.answer) return confirmation_.answer(req, in.email, e->key, true);
      return see_other("/r/" + reply.token);
    case RegisterResult::duplicate_email:
      if (confirmation_.answer) return confirmation_.answer(req, in.email, e->key, false);
      break;
    case RegisterResult::event_not_found:
      return not_found(std::string(register_result_text(reply.result).page_message));
    default:
      break;
  }
  // Refused: the form again with the reason (core/admission's table).
  const RegisterResultText& t = register_result_text(reply.result);
  state.message = std::string(t.page_message);
  return form_page(*e, state, t.status);
}

Response RegistrationPages::personal(const Request& req, const std::string& token) {
  auto r = service_.find(token);
  if (!r) return not_found("This registration link is not valid.");
  auto e = events_(r->event_key);
  if (!e) {
    auto stored = service_.events().find_event(r->event_key);
    if (!stored) return not_found("The event of this registration no longer exists.");
    e = *stored;
  }
  TemplateData d{object{}};
  static const std::map<AttendeeState, std::pair<const char*, const char*>> texts = {
      {AttendeeState::confirmed, {"You're registered", "Your place is confirmed. Show the ticket at the door."}},
      {AttendeeState::waitlisted, {"You're on the waiting list", "We will let you know when a place frees up."}},
      {AttendeeState::cancelled, {"Registration cancelled", "This registration is cancelled."}},
      {AttendeeState::checked_in, {"Checked in", "Enjoy the event!"}}};
  d.set("status_text", texts.at(r->state).second);
  d.set("state", std::string(to_string(r->state)));
  d.set("event_key", e->key);
  d.set("title", e->title);
  d.set("when", when_text(*e));
  set_text(d, "venue", e->venue);
  d.set("name", r->name);
  d.set("email", r->email);
  d.set("token", token);
  d.set("ticket_code", r->ticket_code);
  const bool has_ticket = r->state == AttendeeState::confirmed || r->state == AttendeeState::checked_in;
  d.set("has_ticket", has_ticket);
  d.set("qr_svg", has_ticket ? qr_svg(qr_text(*r, *e)) : std::string());
  d.set("cancellable", r->state == AttendeeState::confirmed || r->state == AttendeeState::waitlisted);
  d.set("calendar", r->state != AttendeeState::cancelled);
  std::string heading = texts.at(r->state).first;
  if (r->state == AttendeeState::waitlisted) {
    if (auto position = service_.registrations().waitlist_position(r->id))
      d.set("status_text", "You are number " + std::to_string(*position) +
                               " on the waiting list. We will e-mail you when a place frees up.");
    if (auto offer = offers_ ? service_.offers().open_offer(r->id) : std::nullopt) {
      const std::string until = instant_text(offer->expires_at, e->time_zone);
      if (offer_acceptable(*offer, service_.clock().now())) {
        heading = "A place is free for you";
        d.set("status_text", "It is held for you until " + until +
                                 ". Accept it, or decline it so that the next person waiting gets it.");
        d.set("offer_open", true);
        d.set("cancellable", false);  // declining is the way out while the offer is open
      } else {
        d.set("status_text", "The place offered to you was held until " + until +
                                 "; it goes to the next person waiting.");
      }
    }
  }
  d.set("heading", heading);
  // Self-service (app/self_service): while the place is held or waited for, before the start.
  const bool changeable = !r->erased_at && (r->state == AttendeeState::confirmed || r->state == AttendeeState::waitlisted) &&
                          e->status == EventStatus::published && service_.clock().now() < e->starts_at;
  d.set("can_edit", changeable);
  d.set("can_transfer", changeable && service_.offers().event_operations(e->key).transfers);
  // Reminders and organizers' messages (RFC 8058 opt-out, adapters/web/unsubscribe_pages).
  if (!r->erased_at && r->state != AttendeeState::cancelled)
    d.set(service_.messages().messages_opted_out(r->id) ? "messages_off" : "messages_on", true);
  // Reconfirmation (no-show management): asked, still confirmed, not answered yet.
  if (reconfirmations_ && r->state == AttendeeState::confirmed && !r->erased_at && r->reconfirm_asked_at &&
      !r->reconfirmed_at && e->status == EventStatus::published && service_.clock().now() < e->starts_at) {
    d.set("reconfirm_open", true);
    d.set("cancellable", false);  // releasing is the way out here
    if (r->reconfirm_deadline) set_text(d, "reconfirm_deadline", instant_text(*r->reconfirm_deadline, e->time_zone));
  }
  if (const std::string answer = req.param("reconfirm"); answer == "yes") {
    d.set("notice", std::string("Thank you: your place is kept. See you there!"));
    d.set("notice_ok", true);
  } else if (answer == "released") {
    d.set("notice", std::string("Your place is released: it goes to the next person waiting. Thank you for telling us."));
    d.set("notice_ok", true);
  } else if (answer == "no") {
    d.set("notice", std::string("There is nothing to answer for this registration now."));
    d.set("notice_ok", false);
  }
  if (req.param("changed") == "details") {
    d.set("notice", std::string("Your details are saved."));
    d.set("notice_ok", true);
  }
  if (const std::string answer = req.param("offer"); !answer.empty()) {
    static const std::map<std::string, OfferAnswer> answers = {{"accepted", OfferAnswer::accepted},
                                                               {"declined", OfferAnswer::declined},
                                                               {"expired", OfferAnswer::expired},
                                                               {"no_offer", OfferAnswer::no_offer}};
    if (auto it = answers.find(answer); it != answers.end()) {
      d.set("notice", std::string(offer_answer_text(it->second).page_message));
      d.set("notice_ok", it->second == OfferAnswer::accepted || it->second == OfferAnswer::declined);
    }
  }
  TemplateData answers{list{}};
  for (const auto& [id, value] : r->answers) {
    TemplateData a{object{}};
    std::string label = id;
    for (const auto& q : e->questions)
      if (q.id == id) label = q.label;
    a.set("label", label);
    a.set("value", value);
    answers.push_back(a);
  }
  d.set("answers", answers);
  return private_html(200, layout_page(site_, heading, render_template("registration", d)));
}

Response RegistrationPages::cancel(const Request&, const std::string& token) {
  CancelOutcome out = service_.cancel(token, "attendee");
  if (out.result == CancelResult::not_found) return not_found("This registration link is not valid.");
  return see_other("/r/" + token);
}

Response RegistrationPages::answer_reconfirm(const Request&, const std::string& token, bool coming) {
  if (coming) {
    const ReconfirmOutcome out = reconfirmations_->reconfirm(token);
    if (out.result == ReconfirmAnswer::not_found) return not_found("This registration link is not valid.");
    const bool kept = out.result == ReconfirmAnswer::reconfirmed || out.result == ReconfirmAnswer::already_reconfirmed;
    return see_other("/r/" + token + "?reconfirm=" + (kept ? "yes" : "no"));
  }
  const CancelOutcome out = reconfirmations_->release(token);
  if (out.result == CancelResult::not_found && out.registration.id == 0) return not_found("This registration link is not valid.");
  return see_other("/r/" + token + "?reconfirm=" + (out.result == CancelResult::cancelled ? "released" : "no"));
}

Response RegistrationPages::answer_offer(const Request&, const std::string& token, bool accept) {
  const OfferOutcome out = accept ? offers_->accept(token) : offers_->decline(token);
  if (out.result == OfferAnswer::not_found) return not_found("This registration link is not valid.");
  static const std::map<OfferAnswer, const char*> names = {{OfferAnswer::accepted, "accepted"},
                                                           {OfferAnswer::declined, "declined"},
                                                           {OfferAnswer::expired, "expired"},
                                                           {OfferAnswer::no_offer, "no_offer"}};
  return see_other("/r/" + token + "?offer=" + names.at(out.result));
}

std::string RegistrationPages::qr_text(const Registration& r, const std::optional<Event>& event) {
  return signer_ && event ? signer_->payload(r.ticket_code, *event) : r.ticket_code;
}

Response RegistrationPages::ticket(const Request&, const std::string& token, bool png) {
  auto r = service_.find(token);
  if (!r || (r->state != AttendeeState::confirmed && r->state != AttendeeState::checked_in))
    return not_found("No ticket for this link.");
  Response resp;
  resp.content_type = png ? "image/png" : "image/svg+xml";
  const std::string text = qr_text(*r, events_(r->event_key));
  resp.body = std::make_shared<const std::string>(png ? qr_png(text) : qr_svg(text));
  resp.headers.emplace_back("Cache-Control", "no-store");
  resp.headers.emplace_back("Content-Disposition",
                            "attachment; filename=\"ticket-" + r->ticket_code + (png ? ".png" : ".svg") + "\"");
  return resp;
}

Response RegistrationPages::calendar(const Request&, const std::string& token) {
  auto r = service_.find(token);
  if (!r) return not_found("This registration link is not valid.");
  auto e = events_(r->event_key);
  if (!e) return not_found("The event of this registration is not in the programme.");
  const auto sequences = service_.outbox().event_sequences();
  auto seq = sequences.find(e->key);
  CalendarOptions opt;
  opt.method = "PUBLISH";
  Response resp;
  resp.content_type = "text/calendar; charset=utf-8";
  resp.body = std::make_shared<const std::string>(
      calendar_ics({CalendarEntry{&*e, seq == sequences.end() ? 0 : seq->second, ""}}, service_.clock().now(), opt));
  resp.headers.emplace_back("Cache-Control", "no-store");
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + e->key + ".ics\"");
  return resp;
}

Response RegistrationPages::personal_feed(const Request&, const std::string& token) {
  auto r = service_.find(token);
  if (!r) return not_found("This registration link is not valid.");
  // Every active registration made with the same e-mail address: the token
  // holder's own programme, as a subscribable calendar.
  std::vector<Event> events;
  if (!r->email.empty())
    for (const auto& g : service_.registrations().list_registrations_by_email(r->email))
      if (auto e = events_(g.event_key)) events.push_back(std::move(*e));
  const auto sequences = service_.outbox().event_sequences();
  std::vector<CalendarEntry> entries;
  for (const auto& e : events) {
    auto seq = sequences.find(e.key);
    entries.push_back(CalendarEntry{&e, seq == sequences.end() ? 0 : seq->second, ""});
  }
  CalendarOptions opt;
  opt.method = "PUBLISH";
  opt.name = "My programme";
  Response resp;
  resp.content_type = "text/calendar; charset=utf-8";
  resp.body = std::make_shared<const std::string>(calendar_ics(entries, service_.clock().now(), opt));
  resp.headers.emplace_back("Cache-Control", "private, no-store");
  return resp;
}

}  // namespace marquee
