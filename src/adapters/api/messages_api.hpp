#pragma once
// JSON routes for messages to a chosen set of attendees (issue 21;
// docs/registrations.md "Messages to attendees"; docs/openapi.json). Staff
// with the attendees capability. A draft is
//   {"events": ["key", …], "states": ["confirmed", "checked_in"],
//    "answers": [{"question": "dietary", "value": "Vegan"}, …],
//    "subject": "…", "body": "Markdown…", "send_at": null | "2026-06-12T09:00:00+02:00" | "2026-06-12T09:00"}
// (send_at null or absent: now; a wall time is read in the festival's zone).
#include "adapters/http/router.hpp"
#include "app/attendee_messages.hpp"

namespace marquee {

class MessagesApi {
 public:
  explicit MessagesApi(AttendeeMessages& messages) : messages_(messages) {}

  /// Adds, all blocking:
  ///   GET  /api/v1/admin/messages               {"messages": [message, …]} newest first
  ///   GET  /api/v1/admin/messages/{id}          {"message": …}; 404
  ///   POST /api/v1/admin/messages/preview       draft → {"recipients", "opted_out", "without_email",
  ///                                              "people", "preview": {"subject", "text", "html"} | null,
  ///                                              "preview_unavailable"}; 422
  ///   POST /api/v1/admin/messages/test          draft + {"email": a console user's address} → {"accepted", "answer"};
  ///                                              422 (also: not a console user, no one in the audience); 502 refused by
  ///                                              SMTP; 503 no SMTP server
  ///   POST /api/v1/admin/messages               draft → 201 {"message"} (sent at once when due); 422.
  ///                                              With an Idempotency-Key header, a repeat returns the first message.
  ///   POST /api/v1/admin/messages/{id}/cancel   → {"message"}; 404; 409 not scheduled
  void add_routes(Router& router);

 private:
  Response list(const Request& req);
  Response read(const Request& req, const std::string& id);
  Response preview(const Request& req);
  Response test(const Request& req);
  Response create(const Request& req);
  Response cancel(const Request& req, const std::string& id);

  AttendeeMessages& messages_;
};

}  // namespace marquee
