#pragma once
// Stripe webhooks for partner placements (issue 17): a delivery is verified
// (core/stripe_signature: every v1 against every active secret, in constant
// time, ±300 s), read, and applied in ONE store transaction that records the
// event id first, so a duplicate — also one that reaches another instance at
// the same moment — changes nothing (ports PlacementStore::apply_payment_event).
// Events may arrive late or out of order: core apply_move tolerates it.
#include <string>
#include <string_view>
#include <vector>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// The answer to one delivery, for the HTTP handler: 200 (applied, recorded,
/// duplicate or ignored), 400 (bad signature or payload: `detail` says which,
/// without naming secrets), 503 (no webhook secret configured). A store
/// failure throws StoreError (answer 500: Stripe retries for up to 3 days).
struct StripeWebhookAnswer {
  int status = 200;
  std::string outcome;  ///< "applied", "unchanged", "duplicate", "unknown placement", "ignored", or the refusal
  std::string detail;   ///< for the client (RFC 9457 detail) and the log
  std::string event_id, type;
  std::int64_t placement_id = 0;
};

/// The placement move a Stripe event asks for (docs.stripe.com/checkout/fulfillment):
/// checkout.session.completed with payment_status "paid" or
/// "no_payment_required", and checkout.session.async_payment_succeeded →
/// payment_succeeded; checkout.session.async_payment_failed and
/// checkout.session.expired → payment_failed; charge.refunded when fully
/// refunded → refund. nullopt for the rest (an unpaid completed session waits
/// for its async result; a partial refund changes no state).
std::optional<PlacementMove> move_for_stripe_event(std::string_view type, std::string_view payment_status,
                                                   bool fully_refunded);

/// The event types handled; others answer 200 and are only logged.
bool handled_stripe_event(std::string_view type);

class StripeWebhook {
 public:
  /// `secrets`: the active endpoint secrets ("whsec_…"), two during a rotation.
  StripeWebhook(Store& store, const Clock& clock, std::vector<std::string> secrets)
      : store_(store), clock_(clock), secrets_(std::move(secrets)) {}

  bool configured() const { return !secrets_.empty(); }

  /// Verifies and applies one delivery: `signature` is the Stripe-Signature
  /// header, `body` the raw request body. Throws StoreError.
  StripeWebhookAnswer handle(std::string_view signature, std::string_view body);

 private:
  Store& store_;
  const Clock& clock_;
  std::vector<std::string> secrets_;
};

}  // namespace marquee
