#pragma once
// The console's messages to attendees (issue 21; app/attendee_messages.hpp):
// choose events, states and answers, see the count and a preview, send a
// test to yourself, then send now or at a set time; the list of messages
// with their audience, state and recipients, and cancelling a scheduled one.
// Owners and operations (the attendees capability).
#include <functional>

#include "adapters/http/router.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/pages.hpp"
#include "app/attendee_messages.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

class MessagesConsole {
 public:
  /// `zone`: the festival's zone (for the send-at field and the list's times).
  MessagesConsole(SiteRef site, AttendeeMessages& messages, EventReader& events, std::function<std::string()> zone)
      : site_(std::move(site)), messages_(messages), events_(events), zone_(std::move(zone)) {}

  /// GET  /admin/messages              the form and the messages
  /// POST /admin/messages              action=preview (count and preview), test (to the signed-in
  ///                                   user's address), send (after a preview) → 303 ?notice=…; 422 with errors
  /// POST /admin/messages/{id}/cancel  a scheduled message → 303; 409 when it went already
  void add_routes(Router& router);

 private:
  Response page(const Request& req, const MessageDraft& draft, int status, const std::function<void(TemplateData&)>& extra);
  Response post(const Request& req);
  Response cancel(const Request& req, const std::string& id);

  SiteRef site_;
  AttendeeMessages& messages_;
  EventReader& events_;
  std::function<std::string()> zone_;
};

}  // namespace marquee
