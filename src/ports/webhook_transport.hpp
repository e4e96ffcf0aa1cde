#pragma once
// Sends one webhook delivery (an HTTP POST) and reports what the receiver
// answered. Implementation: adapters/webhooks/curl_webhook_transport.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace marquee {

struct WebhookAnswer {
  std::optional<int> status;  ///< the HTTP status; nullopt when none came (refused, timed out, blocked address)
  std::string error;          ///< why there is no 2xx, in words ("" when delivered)
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  /// POSTs `body` (application/json) to `url` with `headers` (name, value).
  /// Never throws for network failures: they are in the answer.
  virtual WebhookAnswer post(const std::string& url, const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& headers) = 0;
};

}  // namespace marquee
