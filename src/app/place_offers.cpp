#include "app/place_offers.hpp"

#include <charconv>

#include "app/registration_service.hpp"
#include "core/reminders.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

std::string describe(const EventOperations& o) {
  return "promotion=" + std::string(to_string(o.promotion)) + ", offer_hours=" + std::to_string(o.offer_hours) +
         ", transfers=" + (o.transfers ? "on" : "off") +
         (o.reminder_offsets ? ", reminders=" + (o.reminder_offsets->empty() ? std::string("off") : *o.reminder_offsets)
                             : std::string()) +
         (o.reconfirm_hours ? ", reconfirm=" + std::to_string(*o.reconfirm_hours) + "h" : std::string()) +
         (o.reconfirm_release_hours ? ", release=" + std::to_string(*o.reconfirm_release_hours) + "h" : std::string()) +
         (o.overbook_percent ? ", overbooking=" + std::to_string(o.overbook_percent) + "%" : std::string()) +
         (o.door_release_minutes ? ", door release=" + std::to_string(*o.door_release_minutes) + "min" : std::string());
}

// "off", "" → nullopt; a whole number of hours → it; else an error.
bool parse_hours(const std::string& text, std::optional<int>* out) {
  const std::string t = trim(text);
  if (t.empty() || t == "off") {
    *out = std::nullopt;
    return true;
  }
  std::string_view v = t;
  if (v.ends_with("h")) v.remove_suffix(1);
  int h = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), h);
  if (ec != std::errc{} || end != v.data() + v.size()) return false;
  *out = h;
  return true;
}

}  // namespace

OperationsSaved WaitingListOffers::save(const std::string& event_key, const OperationsChange& change,
                                        const std::string& actor) {
  const std::string_view promotion = change.promotion, offer_hours = change.offer_hours;
  OperationsSaved out;
  if (!store_.find_event(event_key)) return out;
  out.found = true;
  const EventOperations before = store_.event_operations(event_key);
  EventOperations next = before;
  if (auto p = parse_promotion(promotion)) next.promotion = *p;
  else if (!promotion.empty()) out.errors.emplace_back("promotion", "choose 'automatic' or 'offer'");
  if (change.transfers) next.transfers = *change.transfers;
  if (change.reminders) {
    std::string error;
    if (trim(*change.reminders) == "default") next.reminder_offsets = std::nullopt;
    else if (auto parsed = parse_reminder_offsets(*change.reminders, &error))
      next.reminder_offsets = format_reminder_offsets(*parsed);
    else out.errors.emplace_back("reminders", error + ", or 'default' for the installation's");
  }
  if (change.reconfirm && !parse_hours(*change.reconfirm, &next.reconfirm_hours))
    out.errors.emplace_back("reconfirm_hours", "a whole number of hours, or 'off'");
  if (change.reconfirm_release && !parse_hours(*change.reconfirm_release, &next.reconfirm_release_hours))
    out.errors.emplace_back("reconfirm_release_hours", "a whole number of hours, or 'off'");
  if (!next.reconfirm_hours && !change.reconfirm_release) next.reconfirm_release_hours = std::nullopt;  // asking off: releasing too
  if (auto why = check_reconfirmation(next.reconfirm_hours, next.reconfirm_release_hours); !why.empty() && out.errors.empty())
    out.errors.emplace_back(next.reconfirm_release_hours && next.reconfirm_hours ? "reconfirm_release_hours" : "reconfirm_hours", why);
  if (change.overbook) {
    std::optional<int> percent;
    std::string text = trim(*change.overbook);
    if (text.ends_with("%")) text = trim(text.substr(0, text.size() - 1));
    if (!parse_hours(text, &percent) || (percent && (*percent < 0 || *percent > kMaxOverbookPercent)))
      out.errors.emplace_back("overbook_percent", "a whole number of percent from 0 to " + std::to_string(kMaxOverbookPercent) +
                                                      ", or 'off'");
    else next.overbook_percent = percent.value_or(0);
  }
  if (change.door_release) {
    std::string text = trim(*change.door_release);
    if (text.ends_with("min")) text = trim(text.substr(0, text.size() - 3));
    if (!parse_hours(text, &next.door_release_minutes) ||
        (next.door_release_minutes &&
         (*next.door_release_minutes < kMinDoorReleaseMinutes || *next.door_release_minutes > kMaxDoorReleaseMinutes)))
      out.errors.emplace_back("door_release_minutes", "a whole number of minutes after the start from " +
                                                          std::to_string(kMinDoorReleaseMinutes) + " to " +
                                                          std::to_string(kMaxDoorReleaseMinutes) + ", or 'off'");
  }
  if (!offer_hours.empty()) {
    int hours = 0;
    const auto [end, ec] = std::from_chars(offer_hours.data(), offer_hours.data() + offer_hours.size(), hours);
    if (ec != std::errc{} || end != offer_hours.data() + offer_hours.size() || hours < kMinOfferHours ||
        hours > kMaxOfferHours)
      out.errors.emplace_back("offer_hours", "a whole number of hours from " + std::to_string(kMinOfferHours) + " to " +
                                                 std::to_string(kMaxOfferHours) + " (a week)");
    else next.offer_hours = hours;
  }
  out.now = before;
  if (!out.errors.empty()) return out;
  out.now = next;
  if (next == before) return out;
  const UnixSeconds now = clock_.now();
  try {
    out.found = store_.set_event_operations(
        event_key, next, now, AuditEntry{0, now, actor, "event_operations", "event " + event_key, describe(before), describe(next)});
  } catch (const CapacityBelowConfirmed&) {
    // Lowering the overbooking below the places already confirmed: nobody loses a place.
    const auto counts = store_.event_counts(event_key);
    const auto event = store_.find_event(event_key);
    out.errors.emplace_back("overbook_percent",
                            std::to_string(next.overbook_percent) + " % allows " +
                                std::to_string(place_limit(event ? event->capacity : std::nullopt, next.overbook_percent).value_or(0)) +
                                " places, fewer than the " + std::to_string(counts ? counts->confirmed : 0) +
                                " confirmed; nobody loses a place, so choose at least enough for them");
    out.now = before;
    return out;
  }
  out.changed = out.found;
  return out;
}

OfferOutcome WaitingListOffers::accept(const std::string& token) {
  return store_.accept_offer(token_hash(token), clock_.now());
}

OfferOutcome WaitingListOffers::decline(const std::string& token) {
  return store_.decline_offer(token_hash(token), clock_.now());
}

std::int64_t WaitingListOffers::expire(std::optional<UnixSeconds> at) {
  return store_.expire_offers(at.value_or(clock_.now()));
}

HandOffer WaitingListOffers::offer(std::int64_t registration_id, bool add_place, const std::string& actor) {
  const UnixSeconds now = clock_.now();
  return store_.offer_place(registration_id, add_place, now,
                            AuditEntry{0, now, actor, "offer_place", "registration " + std::to_string(registration_id), "", ""});
}

std::string WaitingListOffers::refusal_detail(const HandOffer& h) {
  switch (h.result) {
    case HandOfferResult::offered: return "";
    case HandOfferResult::not_found: return "no registration has this id";
    case HandOfferResult::not_waitlisted: return "the registration is not on the waiting list";
    case HandOfferResult::already_offered: return "the registration has an open offer already";
    case HandOfferResult::no_free_place:
      return "every one of the " + (h.capacity ? std::to_string(*h.capacity) : std::string("event's")) +
             " places is taken or held by an open offer: add a place to offer one";
    case HandOfferResult::closed:
      return "the event is cancelled or starts within " + std::to_string(kMinOfferWindow / 60) + " minutes: no more offers";
  }
  return "";
}

}  // namespace marquee
