#include "adapters/api/reconfirm_api.hpp"

#include "adapters/api/registration_json.hpp"
#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"

namespace marquee {

void ReconfirmApi::add_routes(Router& router) {
  router.add(Route{"POST", "/api/v1/registrations/{token}/reconfirm", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return reconfirm(r, p.at("token")); }, true});
}

Response ReconfirmApi::reconfirm(const Request& req, const std::string& token) {
  const ReconfirmOutcome out = reconfirmations_.reconfirm(token);
  switch (out.result) {
    case ReconfirmAnswer::reconfirmed:
    case ReconfirmAnswer::already_reconfirmed:
      return private_json(200, {{"result", out.result == ReconfirmAnswer::reconfirmed ? "reconfirmed" : "already_reconfirmed"},
                                {"registration", registration_json(out.registration)}});
    case ReconfirmAnswer::not_asked:
      return problem(409, "/problems/not-asked", "Nothing to answer",
                     "This registration has not been asked to reconfirm (yet): its place is kept.", req.path);
    case ReconfirmAnswer::not_confirmed:
      return problem(409, "/problems/not-confirmed", "Not confirmed",
                     out.registration.erased_at ? std::string("This registration's personal data was erased.")
                     : out.registration.state == AttendeeState::confirmed
                         ? std::string("The event is cancelled: there is nothing to reconfirm.")
                         : "Only a confirmed place can be reconfirmed; this registration is " +
                               std::string(to_string(out.registration.state)) + ".",
                     req.path);
    case ReconfirmAnswer::not_found: break;
  }
  return problem(404, "/problems/registration-not-found", "Registration not found", "No registration has this token.", req.path);
}

}  // namespace marquee
