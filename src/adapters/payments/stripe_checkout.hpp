#pragma once
// Stripe Checkout Sessions over HTTPS (libcurl): POST {api_base}/v1/checkout/sessions,
// form-encoded, with the secret key as the Bearer credential and an
// Idempotency-Key (docs.stripe.com/api/checkout/sessions/create,
// docs.stripe.com/api/idempotent_requests). client_reference_id and
// metadata[placement_id] (also on the PaymentIntent) name the placement, so
// the webhook finds it (app/stripe_webhook).
#include <string>

#include "ports/payment_gateway.hpp"

namespace marquee {

struct StripeOptions {
  std::string api_base = "https://api.stripe.com";  ///< --stripe-api-base: tests point it at a local fake
  std::string secret_key;                           ///< "sk_…", from MARQUEE_STRIPE_SECRET_KEY or a file; never logged
  long timeout_seconds = 20;
};

class StripeCheckout final : public PaymentGateway {
 public:
  explicit StripeCheckout(StripeOptions options);
  /// Throws PaymentError: no secret key, unreachable, a non-2xx answer (with
  /// Stripe's error message), or an answer without id and url.
  CheckoutSession create_checkout(const CheckoutRequest& request) override;

 private:
  StripeOptions options_;
};

/// The form body of a Checkout Session request (application/x-www-form-urlencoded,
/// Stripe's bracket notation), for the adapter and its tests.
std::string checkout_form(const CheckoutRequest& r);

}  // namespace marquee
