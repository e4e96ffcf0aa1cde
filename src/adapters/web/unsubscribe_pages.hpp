#pragma once
// Opting out of non-essential messages (issue 21): the page behind the
// unsubscribe link of reminders and operators' messages. A GET only shows a
// button (link scanners fetch links); the POST is also RFC 8058's one-click
// unsubscribe, which mail providers send without cookies or a form (body
// "List-Unsubscribe=One-Click", ignored here: the token is the secret).
// Confirmations, changes, cancellations and offers are always sent.
#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "app/attendee_messages.hpp"
#include "app/registration_service.hpp"

namespace marquee {

class UnsubscribePages {
 public:
  UnsubscribePages(SiteRef site, RegistrationService& registrations, AttendeeMessages& messages, EventLookup events)
      : site_(std::move(site)), registrations_(registrations), messages_(messages), events_(std::move(events)) {}

  /// Adds (public, blocking, never cached):
  ///   GET  /r/{token}/unsubscribe   200 an Unsubscribe button, or "you receive only essential messages"
  ///                                 with a button to receive them again; 404 unknown or erased
  ///   POST /r/{token}/unsubscribe   200 "unsubscribed" (also when already); 404
  ///   POST /r/{token}/resubscribe   200 "you receive reminders and messages again"; 404
  void add_routes(Router& router);

 private:
  Response page(const std::string& token, std::optional<bool> set);

  SiteRef site_;
  RegistrationService& registrations_;
  AttendeeMessages& messages_;
  EventLookup events_;
};

}  // namespace marquee
