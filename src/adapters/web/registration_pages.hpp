#pragma once
// HTML registration for phones, without JavaScript: the form on
// /events/{key}/register, the personal page /r/{token} with the QR ticket,
// the .ics and SVG downloads, and cancellation.
#include "adapters/api/registration_api.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/router.hpp"

namespace marquee {

class RegistrationPages {
 public:
  /// `on_duplicate`: the answer when the address is already registered for
  /// the event (the lost-link flow: its link is sent to it again, and the
  /// page does not say whether it was registered); empty → a 409 form.
  using DuplicateAnswer = std::function<Response(const Request&, const std::string& email, const std::string& key)>;
  RegistrationPages(SiteInfo site, RegistrationService& service, EventLookup events, AddressLimit& limiter,
                    DuplicateAnswer on_duplicate = {});

  /// Adds (all blocking, public):
  ///   GET  /events/{key}/register   the form, with the places left
  ///   POST /events/{key}/register   form post → 303 to /r/{token}, or the form again with errors (422/409);
  ///                                 an address already registered → on_duplicate's answer
  ///   GET  /r/{token}               the personal page
  ///   POST /r/{token}/cancel        → 303 to /r/{token}
  ///   GET  /r/{token}/ticket.svg    the QR ticket
  ///   GET  /r/{token}/event.ics     the event for a calendar (RFC 5545)
  void add_routes(Router& router);

 private:
  struct FormState;
  Response form_page(const Event& e, const FormState& state, int status);
  Response show_form(const Request& req, const std::string& key);
  Response submit(const Request& req, const std::string& key);
  Response personal(const Request& req, const std::string& token);
  Response cancel(const Request& req, const std::string& token);
  Response ticket(const Request& req, const std::string& token);
  Response calendar(const Request& req, const std::string& token);
  /// GET /r/{token}/calendar.ics: every active registration with the token's e-mail (RFC 5545 feed).
  Response personal_feed(const Request& req, const std::string& token);
  Response not_found(const std::string& what);

  SiteInfo site_;
  RegistrationService& service_;
  EventLookup events_;
  AddressLimit& limiter_;
  DuplicateAnswer on_duplicate_;
};

}  // namespace marquee
