#pragma once
// Personal agendas over JSON (issue 20; docs/openapi.json): a visitor's
// device makes an agenda, keeps its private link, and replaces the list of
// starred events; another device with the link reads and writes the same
// list. No account and no personal data. New agendas are rate-limited per
// client address, changes per agenda (AddressLimit); errors are RFC 9457
// problem+json.
#include "adapters/http/router.hpp"
#include "app/address_limit.hpp"
#include "app/agendas.hpp"

namespace marquee {

class AgendasApi {
 public:
  /// `create_limit`: new agendas per address; `write_limit`: changes per agenda.
  AgendasApi(AgendaService& service, const Clock& clock, AddressLimit& create_limit, AddressLimit& write_limit)
      : service_(service), clock_(clock), create_limit_(create_limit), write_limit_(write_limit) {}

  /// POST /api/v1/agendas            → 201 {token, events: [], revision: 0, updated_at, links: {self, calendar}}
  ///                                   (the token is shown here only), Location: the agenda
  /// GET  /api/v1/agendas/{token}    → 200 {events, revision, updated_at, links}, ETag "r<revision>"; 404
  /// PUT  /api/v1/agendas/{token}    {"events": [keys]} (If-Match "r<revision>" optional) → 200 as GET;
  ///                                   404; 412 another device changed it first (the problem's "agenda"
  ///                                   holds it as it stands); 422 field errors; 429 past the limit
  /// Every answer is private and never cached (Cache-Control: no-store).
  void add_routes(Router& router);

 private:
  Response create(const Request& req);
  Response read(const Request& req, const std::string& token);
  Response write(const Request& req, const std::string& token);

  AgendaService& service_;
  const Clock& clock_;
  AddressLimit& create_limit_;
  AddressLimit& write_limit_;
};

}  // namespace marquee
