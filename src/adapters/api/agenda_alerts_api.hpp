#pragma once
// E-mail alerts of a personal agenda over JSON (issue 20; docs/openapi.json,
// docs/agendas.md), and their erasure by staff. The agenda's private token is
// the key; the address is never answered back in full. Errors are RFC 9457
// problem+json.
#include "adapters/http/router.hpp"
#include "app/address_limit.hpp"
#include "app/agenda_alerts.hpp"

namespace marquee {

class AgendaAlertsApi {
 public:
  /// `limit`: alert requests (POST and DELETE) per client address (AddressLimit).
  AgendaAlertsApi(AgendaAlerts& alerts, const Clock& clock, AddressLimit& limit)
      : alerts_(alerts), clock_(clock), limit_(limit) {}

  /// GET    /api/v1/agendas/{token}/alerts  → 200 {state: "none"|"pending"|"confirmed", email: masked|null}
  /// POST   /api/v1/agendas/{token}/alerts  {"email"} → 202 {state: "pending", email} (a confirmation
  ///                                          message is on its way), 200 {state: "confirmed"} when the
  ///                                          agenda already alerts that address; 404 unknown agenda;
  ///                                          422 field errors; 429 past the limits (per address, and
  ///                                          AgendaAlerts::kConfirmationsPerDay per e-mail address)
  /// DELETE /api/v1/agendas/{token}/alerts  → 204 (the alert ended, the address is gone); 404 none; 429
  ///                                          (the per-address limit, shared with POST)
  /// POST   /api/v1/alerts/erase            staff (attendees capability) {"email"} → 200 {erased: n}
  /// Every answer is private and never cached.
  void add_routes(Router& router);

 private:
  Response read(const Request& req, const std::string& token);
  Response subscribe(const Request& req, const std::string& token);
  Response remove(const Request& req, const std::string& token);
  Response erase(const Request& req);

  AgendaAlerts& alerts_;
  const Clock& clock_;
  AddressLimit& limit_;
};

}  // namespace marquee
