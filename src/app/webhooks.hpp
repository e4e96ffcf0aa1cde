#pragma once
// Outgoing webhooks (issue 21; docs/webhooks.md): operators register
// endpoints (console, `POST /api/v1/admin/webhooks`), see each
// endpoint's deliveries and replay one. Deliveries are written by the store
// in the transaction of the change they report (ports/webhook_store.hpp) and
// sent by app/webhook_sender. Audited: "webhook_create" (url and events; the
// secret never), "webhook_delete", "webhook_replay".
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/token_secret.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// What create did: field errors ("url", "events"; nothing stored), or the
/// endpoint and its signing secret ("whsec_" + 43 base64url characters),
/// which is shown this once and kept only sealed.
struct CreatedWebhook {
  std::vector<std::pair<std::string, std::string>> errors;
  std::optional<WebhookEndpoint> endpoint;
  std::string secret;
};

class Webhooks {
 public:
  Webhooks(Store& store, const Clock& clock);

  /// `events`: comma-separated types or "*" (core parse_webhook_events).
  CreatedWebhook create(const std::string& url, const std::string& events, const std::string& description,
                        const std::string& actor);
  std::vector<WebhookEndpoint> list() { return store_.list_webhooks(); }
  std::optional<WebhookEndpoint> find(std::int64_t id) { return store_.find_webhook(id); }
  std::vector<WebhookDelivery> deliveries(std::int64_t endpoint_id, int limit = 50) {
    return store_.webhook_deliveries(endpoint_id, limit);
  }
  std::optional<WebhookDelivery> delivery(std::int64_t id) { return store_.find_webhook_delivery(id); }
  /// Deletes an endpoint and its deliveries (audited); false for an unknown id.
  bool remove(std::int64_t id, const std::string& actor);
  /// Sends delivery `id` again: pending, due now, attempts reset, the same
  /// event id and body (audited); false for an unknown id.
  bool replay(std::int64_t id, const std::string& actor);

 private:
  Store& store_;
  const Clock& clock_;
  TokenSecret secret_;
};

}  // namespace marquee
