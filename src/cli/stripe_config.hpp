#pragma once
// Stripe's settings for `marquee serve` (issue 17), from flags, files and the
// environment; secrets never come from the repository or the command line.
#include <memory>
#include <string>
#include <vector>

#include "adapters/payments/stripe_checkout.hpp"
#include "cli/serve_args.hpp"

namespace marquee {

/// The checkout gateway: null when no secret key is configured (the first
/// line of --stripe-secret-key-file, else MARQUEE_STRIPE_SECRET_KEY).
/// Throws std::runtime_error when the file cannot be read.
std::unique_ptr<StripeCheckout> stripe_checkout_from(const ServeArgs& args);

/// The active webhook secrets: MARQUEE_STRIPE_WEBHOOK_SECRETS (comma-separated)
/// and the lines of --stripe-webhook-secret-file ('#' comments), trimmed.
/// Throws std::runtime_error when the file cannot be read.
std::vector<std::string> stripe_webhook_secrets_from(const ServeArgs& args);

}  // namespace marquee
