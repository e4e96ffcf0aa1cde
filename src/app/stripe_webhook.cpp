#include "app/stripe_webhook.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

#include "core/stripe_signature.hpp"

namespace marquee {
namespace {

std::string text_at(const boost::json::object& o, std::string_view name) {
  auto it = o.find(name);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::int64_t id_of(const std::string& s) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() && end == s.data() + s.size() && n > 0 ? n : 0;
}

}  // namespace

bool handled_stripe_event(std::string_view type) {
  return type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded" ||
         type == "checkout.session.async_payment_failed" || type == "checkout.session.expired" ||
         type == "charge.refunded";
}

std::optional<PlacementMove> move_for_stripe_event(std::string_view type, std::string_view payment_status,
                                                   bool fully_refunded) {
  if (type == "checkout.session.completed")
    return payment_status == "paid" || payment_status == "no_payment_required"
               ? std::optional<PlacementMove>(PlacementMove::payment_succeeded)
               : std::nullopt;
  if (type == "checkout.session.async_payment_succeeded") return PlacementMove::payment_succeeded;
  if (type == "checkout.session.async_payment_failed" || type == "checkout.session.expired")
    return PlacementMove::payment_failed;
  if (type == "charge.refunded" && fully_refunded) return PlacementMove::refund;
  return std::nullopt;
}

StripeWebhookAnswer StripeWebhook::handle(std::string_view signature, std::string_view body) {
  StripeWebhookAnswer a;
  if (secrets_.empty()) {
    a.status = 503;
    a.outcome = "not configured";
    a.detail = "No Stripe webhook secret is configured (MARQUEE_STRIPE_WEBHOOK_SECRETS or --stripe-webhook-secret-file).";
    return a;
  }
  const StripeSignatureCheck check = check_stripe_signature(signature, body, secrets_, clock_.now());
  if (check != StripeSignatureCheck::valid) {
    a.status = 400;
    a.outcome = "signature " + std::string(to_string(check));
    switch (check) {
      case StripeSignatureCheck::malformed: a.detail = "The Stripe-Signature header is missing or has no timestamp."; break;
      case StripeSignatureCheck::no_v1: a.detail = "The Stripe-Signature header has no v1 signature."; break;
      case StripeSignatureCheck::stale: a.detail = "The signature's timestamp is more than 300 s old."; break;
      case StripeSignatureCheck::future: a.detail = "The signature's timestamp is more than 300 s in the future."; break;
      default: a.detail = "No signature matches this payload."; break;
    }
    return a;
  }
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    a.status = 400;
    a.outcome = "malformed payload";
    a.detail = "The payload is not a JSON object.";
    return a;
  }
  const auto& event = parsed.as_object();
  a.event_id = text_at(event, "id");
  a.type = text_at(event, "type");
  const boost::json::object* object = nullptr;
  if (auto d = event.find("data"); d != event.end() && d->value().is_object())
    if (auto o = d->value().as_object().find("object"); o != d->value().as_object().end() && o->value().is_object())
      object = &o->value().as_object();
  if (a.event_id.empty() || a.type.empty() || !object) {
    a.status = 400;
    a.outcome = "malformed payload";
    a.detail = "The event has no id, type or data.object.";
    return a;
  }
  if (!handled_stripe_event(a.type)) {
    a.outcome = "ignored";
    a.detail = "Event type " + a.type + " is not used by Marquee.";
    return a;
  }
  PaymentEvent e;
  e.event_id = a.event_id;
  e.type = a.type;
  e.at = clock_.now();
  std::string metadata_id;
  if (auto m = object->find("metadata"); m != object->end() && m->value().is_object())
    metadata_id = text_at(m->value().as_object(), "placement_id");
  e.placement_id = id_of(text_at(*object, "client_reference_id"));
  if (!e.placement_id) e.placement_id = id_of(metadata_id);
  e.payment_intent = text_at(*object, "payment_intent");
  if (a.type.starts_with("checkout.session.")) {
    e.session_id = text_at(*object, "id");
    if (auto t = object->find("amount_total"); t != object->end() && t->value().is_int64()) e.amount = t->value().as_int64();
    e.currency = text_at(*object, "currency");
  }
  bool fully_refunded = false;
  if (auto r = object->find("refunded"); r != object->end() && r->value().is_bool()) fully_refunded = r->value().as_bool();
  e.move = move_for_stripe_event(a.type, text_at(*object, "payment_status"), fully_refunded);
  const PaymentEventOutcome o = store_.apply_payment_event(e);
  a.placement_id = o.placement.id ? o.placement.id : e.placement_id;
  switch (o.result) {
    case PaymentEventOutcome::Result::applied:
      a.outcome = "applied";
      a.detail = "Placement " + std::to_string(o.placement.id) + " is now " + std::string(to_string(o.placement.state)) + ".";
      break;
    case PaymentEventOutcome::Result::unchanged:
      a.outcome = "unchanged";
      a.detail = "Placement " + std::to_string(o.placement.id) + " stays " + std::string(to_string(o.placement.state)) + ".";
      break;
    case PaymentEventOutcome::Result::duplicate:
      a.outcome = "duplicate";
      a.detail = "Event " + a.event_id + " was applied before.";
      break;
    case PaymentEventOutcome::Result::unknown_placement:
      a.outcome = "unknown placement";
      a.detail = "No placement matches this event.";
      break;
    case PaymentEventOutcome::Result::stale_session:
      a.outcome = "stale session";
      a.detail = "Session " + e.session_id + " is not placement " + std::to_string(o.placement.id) +
                 "'s current checkout: recorded, not applied.";
      break;
    case PaymentEventOutcome::Result::wrong_amount:
      a.outcome = "wrong amount";
      a.detail = "The payment does not match placement " + std::to_string(o.placement.id) +
                 "'s price: recorded, not applied; check it in Stripe.";
      break;
  }
  return a;
}

}  // namespace marquee
