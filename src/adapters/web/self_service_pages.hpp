#pragma once
// The personal page's self-service forms (issue 21), without JavaScript:
// change the name and answers, and pass the place to someone else where the
// event allows it (app/self_service.hpp).
#include "adapters/http/router.hpp"
#include "adapters/web/attendee_form.hpp"
#include "adapters/web/pages.hpp"
#include "app/address_limit.hpp"
#include "app/registration_service.hpp"
#include "app/self_service.hpp"

namespace marquee {

class SelfServicePages {
 public:
  /// `limiter`: transfers count against the registration rate limit per client address.
  SelfServicePages(SiteRef site, RegistrationService& registrations, SelfService& self_service, EventLookup events,
                   AddressLimit& limiter);

  /// Adds (all blocking, public; the token is the secret):
  ///   GET  /r/{token}/edit       the name and answers, prefilled
  ///   POST /r/{token}/edit       → 303 to /r/{token}?changed=details, or the form with errors (422), 409 when too late
  ///   GET  /r/{token}/transfer   the new holder's name, e-mail and answers (only where the event allows transfers)
  ///   POST /r/{token}/transfer   → 200 "your place now belongs to …" (the old link stops working), or the form (422/409)
  void add_routes(Router& router);

 private:
  struct Context;
  std::optional<Context> context(const std::string& token);
  Response edit_form(const Request& req, const std::string& token);
  Response save_details(const Request& req, const std::string& token);
  Response transfer_form(const Request& req, const std::string& token);
  Response transfer(const Request& req, const std::string& token);
  Response form_page(const Context& c, const std::string& token, bool transfer, const AttendeeForm& form, int status);
  Response message_page(int status, const std::string& title, const std::string& text, const std::string& back);

  SiteRef site_;
  RegistrationService& registrations_;
  SelfService& self_service_;
  EventLookup events_;
  AddressLimit& limiter_;
};

}  // namespace marquee
