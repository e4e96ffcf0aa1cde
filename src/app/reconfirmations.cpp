#include "app/reconfirmations.hpp"

#include "app/registration_service.hpp"

namespace marquee {

ReconfirmRun Reconfirmations::run(std::optional<UnixSeconds> at) {
  const UnixSeconds now = at.value_or(clock_.now());
  ReconfirmRun r;
  r.released = store_.release_unreconfirmed(now);
  r.asked = store_.ask_reconfirmations(now);
  return r;
}

ReconfirmOutcome Reconfirmations::reconfirm(const std::string& token) { return store_.reconfirm(token_hash(token), clock_.now()); }

CancelOutcome Reconfirmations::release(const std::string& token) {
  auto g = store_.find_registration_by_token(token_hash(token));
  if (!g || g->state != AttendeeState::confirmed) {
    CancelOutcome out;
    if (g) {
      out.registration = *g;
      out.result = g->state == AttendeeState::checked_in ? CancelResult::checked_in
                   : g->state == AttendeeState::cancelled ? CancelResult::already_cancelled
                                                           : CancelResult::not_found;
    }
    return out;
  }
  return store_.cancel_registration(token_hash(token), clock_.now(), "attendee: released at reconfirmation");
}

}  // namespace marquee
