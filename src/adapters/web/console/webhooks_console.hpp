#pragma once
// The console's outgoing webhooks (issue 21; app/webhooks.hpp): endpoints
// with their last answer and backlog, adding one (the signing secret shown
// once), deleting one, and an endpoint's deliveries with a replay button.
// Owners and operations (the operate capability).
#include <functional>

#include "adapters/http/router.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/pages.hpp"
#include "app/webhooks.hpp"

namespace marquee {

class WebhooksConsole {
 public:
  /// `zone`: the festival's zone for the times shown.
  WebhooksConsole(SiteRef site, Webhooks& webhooks, std::function<std::string()> zone)
      : site_(std::move(site)), webhooks_(webhooks), zone_(std::move(zone)) {}

  /// GET  /admin/webhooks                             the endpoints and the add form
  /// POST /admin/webhooks                             url, event (repeated), description → the secret, once; 422
  /// GET  /admin/webhooks/{id}                        the endpoint's newest 100 deliveries
  /// POST /admin/webhooks/{id}/delete                 → 303
  /// POST /admin/webhooks/deliveries/{id}/replay      → 303 to its endpoint
  void add_routes(Router& router);

 private:
  Response list(const Request& req, const std::vector<std::pair<std::string, std::string>>& errors, int status,
                const std::function<void(TemplateData&)>& extra);
  Response create(const Request& req);
  Response detail(const Request& req, const std::string& id);
  Response remove(const Request& req, const std::string& id);
  Response replay(const Request& req, const std::string& id);

  SiteRef site_;
  Webhooks& webhooks_;
  std::function<std::string()> zone_;
};

}  // namespace marquee
