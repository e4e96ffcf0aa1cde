#pragma once
// Webhook deliveries over HTTP(S) with libcurl. Guards against server-side
// request forgery: the host is resolved first and every address must be
// public (core is_public_address) unless private addresses are allowed
// (--webhook-allow-private, for tests and intranet receivers); the request
// then goes to the addresses checked (CURLOPT_RESOLVE pins them, so a DNS
// answer that changes in between cannot redirect it). No redirects are
// followed, no proxy from the environment is used; of the answer only the
// status is kept (its body is read up to 64 KiB and dropped).
#include "ports/webhook_transport.hpp"

namespace marquee {

struct WebhookTransportOptions {
  bool allow_private = false;   ///< --webhook-allow-private
  long timeout_ms = 10000;      ///< the whole request, connection included (--webhook-timeout-ms)
  std::string user_agent = "Marquee-Webhooks/1";
};

class CurlWebhookTransport final : public WebhookTransport {
 public:
  explicit CurlWebhookTransport(WebhookTransportOptions options) : options_(std::move(options)) {}
  WebhookAnswer post(const std::string& url, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers) override;

 private:
  WebhookTransportOptions options_;
};

}  // namespace marquee
