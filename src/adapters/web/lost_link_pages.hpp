#pragma once
// "Send me my link again" (issue 13, item 11): the public form and its API.
// The answer is the same whether or not the address is registered.
#include <functional>

#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/address_limit.hpp"
#include "ports/clock.hpp"
#include "app/link_resend.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

class LostLinkPages {
 public:
  /// `events`: to name the event on the form; `resends`: the move (with
  /// its per-address and per-e-mail limits); `wake_delivery`: tells the
  /// delivery worker that messages are due (may be empty).
  LostLinkPages(SiteRef site, EventReader& events, LinkResends& resends, std::function<void()> wake_delivery);

  /// Adds (public, blocking):
  ///   GET  /registration/lost-link[?event=KEY]   the form
  ///   POST /registration/lost-link                email, event → 200 "check your inbox" (always), 422 bad address, 429
  ///   POST /api/v1/registrations/resend-link      {"email", "event"?} → 202 problem-free JSON (always), 422, 429
  void add_routes(Router& router);

  /// Queues the link(s) of `email` (for `event_key` unless "") and answers the
  /// "check your inbox" page — also the answer to a registration form whose
  /// address is already registered for the event — or the form with 422/429.
  Response resend(const Request& req, const std::string& email, const std::string& event_key);

  /// The registration form's answer when registrations are confirmed by
  /// e-mail only: the same "check your inbox" page for a new registration
  /// (`fresh`: its confirmation is queued already) and for an address that
  /// was registered (its link is queued again, unless its limit is reached,
  /// which is not said either).
  Response registration_answer(const Request& req, const std::string& email, const std::string& event_key, bool fresh);

 private:
  Response form(const Request& req);
  Response submit(const Request& req);
  Response api(const Request& req);
  Response page(const std::string& email, const std::string& event_key, bool sent, const std::string& message,
                const std::string& email_error, int status, bool registration = false);

  SiteRef site_;
  EventReader& events_;
  LinkResends& resends_;
  std::function<void()> wake_;
};

}  // namespace marquee
