#pragma once
// POST /api/v1/webhooks/stripe (issue 17): Stripe's deliveries for partner
// placements, verified and applied by app/stripe_webhook. Public (Stripe has
// no credential but its signature); answers 200 for applied, duplicate and
// ignored events, 400 for a bad signature or payload, 503 when no secret is
// configured, 500 when the store failed (Stripe retries). Every delivery is
// logged with its event id, type and outcome (never the payload).
#include "adapters/http/router.hpp"
#include "app/stripe_webhook.hpp"

namespace marquee {

class StripeWebhookApi {
 public:
  explicit StripeWebhookApi(StripeWebhook& webhook) : webhook_(webhook) {}
  void add_routes(Router& router);

 private:
  Response deliver(const Request& req);
  StripeWebhook& webhook_;
};

}  // namespace marquee
