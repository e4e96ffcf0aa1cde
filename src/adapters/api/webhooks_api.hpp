#pragma once
// JSON routes for outgoing webhooks (issue 21; docs/webhooks.md;
// docs/openapi.json). Staff with the operate capability.
#include "adapters/http/router.hpp"
#include "app/webhooks.hpp"

namespace marquee {

class WebhooksApi {
 public:
  explicit WebhooksApi(Webhooks& webhooks) : webhooks_(webhooks) {}

  /// Adds, all blocking:
  ///   GET    /api/v1/admin/webhooks                         {"webhooks": [endpoint, …]}
  ///   POST   /api/v1/admin/webhooks                         {"url", "events": ["registration.created", …] or ["*"],
  ///                                                          "description"?} → 201 {"webhook", "secret"} (the secret
  ///                                                          is shown this once); 422 per field
  ///   GET    /api/v1/admin/webhooks/{id}                    {"webhook", "deliveries": [newest 50]}; 404
  ///   DELETE /api/v1/admin/webhooks/{id}                    204; 404
  ///   POST   /api/v1/admin/webhooks/deliveries/{id}/replay  {"delivery"} pending again, due now; 404
  void add_routes(Router& router);

 private:
  Response list(const Request& req);
  Response create(const Request& req);
  Response read(const Request& req, const std::string& id);
  Response remove(const Request& req, const std::string& id);
  Response replay(const Request& req, const std::string& id);

  Webhooks& webhooks_;
};

}  // namespace marquee
