#pragma once
// JSON routes for self-service changes by personal token (issue 21;
// app/self_service.hpp; docs/openapi.json).
#include "adapters/http/router.hpp"
#include "app/address_limit.hpp"
#include "app/registration_service.hpp"
#include "app/self_service.hpp"

namespace marquee {

class SelfServiceApi {
 public:
  /// `limiter`: transfers count against the registration rate limit per client address.
  SelfServiceApi(SelfService& self_service, EventLookup events, RegistrationService& registrations, AddressLimit& limiter)
      : self_service_(self_service), events_(std::move(events)), registrations_(registrations), limiter_(limiter) {}

  /// Adds, blocking, public (the token is the secret):
  ///   PATCH /api/v1/registrations/{token}            {"name", "answers"} → 200 the registration; 422; 409 too late;
  ///                                                  absent members keep their value, answers merge by question
  ///   POST  /api/v1/registrations/{token}/transfer   {"name", "email", "answers"} → 200 {"result", "to" (masked)}; 409; 422;
  ///                                                  429 past the registration rate limit
  void add_routes(Router& router);

 private:
  std::optional<Event> event_of(const std::string& token);
  Response change(const Request& req, const std::string& token);
  Response transfer(const Request& req, const std::string& token);

  SelfService& self_service_;
  EventLookup events_;
  RegistrationService& registrations_;
  AddressLimit& limiter_;
};

}  // namespace marquee
