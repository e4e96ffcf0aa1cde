#pragma once
// JSON route for the attendee's answer to "Still coming?" (issue 21, no-show
// management; docs/registrations.md; docs/openapi.json). Releasing the place
// is the cancellation route (POST /api/v1/registrations/{token}/cancel).
#include "adapters/http/router.hpp"
#include "app/reconfirmations.hpp"

namespace marquee {

class ReconfirmApi {
 public:
  explicit ReconfirmApi(Reconfirmations& reconfirmations) : reconfirmations_(reconfirmations) {}

  /// POST /api/v1/registrations/{token}/reconfirm   public (the token is the secret):
  ///   200 {"result": "reconfirmed"|"already_reconfirmed", "registration"}; 404 unknown token;
  ///   409 /problems/not-asked (nothing to answer yet) or /problems/not-confirmed
  void add_routes(Router& router);

 private:
  Response reconfirm(const Request& req, const std::string& token);
  Reconfirmations& reconfirmations_;
};

}  // namespace marquee
