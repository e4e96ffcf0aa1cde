#pragma once
// The pages behind the links of agenda alert messages (issue 20): confirming
// the address (double opt-in) and stopping the alerts. A GET only shows a
// button: link scanners and previews fetch links, so only a POST changes
// anything. The unsubscribe POST is also RFC 8058's one-click unsubscribe,
// sent by mail providers without cookies or a form (body
// "List-Unsubscribe=One-Click"). Pages are private and never cached.
#include "adapters/http/router.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/pages.hpp"
#include "app/agenda_alerts.hpp"

namespace marquee {

class AlertPages {
 public:
  AlertPages(SiteRef site, AgendaAlerts& alerts) : site_(std::move(site)), alerts_(alerts) {}

  /// GET  /alerts/confirm/{token}      200 the address (masked) and a Confirm button; 404 unknown link
  /// POST /alerts/confirm/{token}      200 "alerts are on" (also when already confirmed); 410 the alert ended; 404
  /// GET  /alerts/unsubscribe/{token}  200 a "Stop alerts" button, or "alerts are off"; 404
  /// POST /alerts/unsubscribe/{token}  200 "alerts are off" (also when already off); 404
  void add_routes(Router& router);

 private:
  Response confirm_page(const std::string& token, bool post);
  Response unsubscribe_page(const std::string& token, bool post);
  Response page(int status, const std::string& title, TemplateData d);

  SiteRef site_;
  AgendaAlerts& alerts_;
};

}  // namespace marquee
