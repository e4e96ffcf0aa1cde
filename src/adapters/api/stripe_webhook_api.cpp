#include "adapters/api/stripe_webhook_api.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"

namespace marquee {

void StripeWebhookApi::add_routes(Router& router) {
  router.add(Route{"POST", "/api/v1/webhooks/stripe", Access::public_access,
                   [this](const Request& r, const PathParams&) { return deliver(r); }, true});
}

Response StripeWebhookApi::deliver(const Request& req) {
  const StripeWebhookAnswer a = webhook_.handle(req.header("stripe-signature"), req.body);
  const std::string what = "stripe webhook " + (a.event_id.empty() ? std::string("(no id)") : a.event_id) + " " +
                           (a.type.empty() ? std::string("(no type)") : a.type) + ": " + a.outcome +
                           (a.placement_id ? " (placement " + std::to_string(a.placement_id) + ")" : "");
  if (a.status == 200) {
    // A payment that was not applied needs an operator (refund or a new link).
    if (a.outcome == "stale session" || a.outcome == "wrong amount") spdlog::warn("{}: {}", what, a.detail);
    else spdlog::info("{}", what);
    return json_response(200, {{"received", true}, {"outcome", a.outcome}});
  }
  spdlog::warn("{} [request {}]", what, req.id);
  if (a.status == 503) return problem(503, "/problems/not-configured", "Webhook not configured", a.detail, req.path);
  return problem(400, "/problems/invalid-webhook", "Invalid webhook delivery", a.detail, req.path);
}

}  // namespace marquee
