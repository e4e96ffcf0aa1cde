#pragma once
// The console's attendees: events taking registrations with their counts,
// each event's attendees (search, state filter, check-in, exports) and the
// door's check-in page (a ticket code field, for a phone at the entrance).
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/registration_service.hpp"

namespace marquee {

class AttendeesConsole {
 public:
  AttendeesConsole(SiteRef site, RegistrationService& registrations);

  /// GET  /admin/attendees                  attendees  events with registrations and their counts
  /// GET  /admin/attendees/{key}            attendees  ?q (name, e-mail, ticket) & state
  /// GET  /admin/check-in                   check_in   the door's ticket form
  /// POST /admin/check-in                   check_in   code (from=event key: back to that list) → the outcome
  void add_routes(Router& router);

 private:
  /// The door page's data: the events a door may be for (today on, with
  /// registration), `chosen` selected ("" = any event).
  TemplateData door_data(const ConsoleUser& user, const std::string& chosen);
  Response events(const Request& req);
  Response attendees(const Request& req, const std::string& key);
  Response door(const Request& req);
  Response check_in(const Request& req);

  SiteRef site_;
  RegistrationService& registrations_;
};

}  // namespace marquee
