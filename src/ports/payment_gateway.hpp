#pragma once
// Where a partner pays for a placement (issue 17): a hosted checkout page.
// Implementation: adapters/payments/stripe_checkout (Stripe Checkout
// Sessions over HTTPS; tests point it at a local fake with --stripe-api-base).
#include <cstdint>
#include <stdexcept>
#include <string>

namespace marquee {

/// What the partner is asked to pay, and where the checkout returns to.
struct CheckoutRequest {
  std::int64_t placement_id = 0;
  std::int64_t partner_id = 0;
  std::string description;      ///< the line item's name, e.g. "Featured placement: Harbour Jazz, 1–11 June"
  std::int64_t amount_cents = 0;  ///< > 0, in the currency's minor unit
  std::string currency;         ///< ISO 4217, lower case
  std::string customer_email;   ///< prefilled when known, "" otherwise
  std::string success_url, cancel_url;  ///< absolute
  std::string idempotency_key;  ///< the same key for a retried request: one session, not two
};

/// The checkout made: its id ("cs_…") and the page to send the partner to.
struct CheckoutSession {
  std::string id, url;
};

/// Thrown when the payment provider cannot be reached or refuses; what() is
/// for the log and the operator (never holds the secret key).
class PaymentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  /// Creates a hosted checkout for `request`. Throws PaymentError.
  virtual CheckoutSession create_checkout(const CheckoutRequest& request) = 0;
};

}  // namespace marquee
