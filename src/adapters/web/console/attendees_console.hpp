#pragma once
// The console's attendees: events taking registrations with their counts,
// each event's attendees (search, state filter, check-in, exports) and the
// door's check-in page (a ticket code field, for a phone at the entrance),
// and each event's waiting list: its promotion rule and offers by hand
// (attendees_offers.cpp).
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/no_show_report.hpp"
#include "app/place_offers.hpp"
#include "app/registration_service.hpp"

namespace marquee {

class AttendeesConsole {
 public:
  AttendeesConsole(SiteRef site, RegistrationService& registrations, WaitingListOffers& offers, const NoShowReport& no_shows);

  /// GET  /admin/attendees                  attendees  events with registrations and their counts
  /// GET  /admin/attendees/{key}            attendees  ?q (name, e-mail, ticket) & state
  /// GET  /admin/check-in                   check_in   the door's ticket form
  /// POST /admin/check-in                   check_in   code (from=event key: back to that list) → the outcome
  /// POST /admin/attendees/{key}/operations    attendees  promotion, offer_hours, transfers → back to the list
  /// POST /admin/attendees/{key}/offers        attendees  registration_id, add_place → back to the list
  void add_routes(Router& router);

 private:
  /// The door page's data: the events a door may be for (today on, with
  /// registration), `chosen` selected ("" = any event).
  TemplateData door_data(const ConsoleUser& user, const std::string& chosen);
  Response events(const Request& req);
  Response attendees(const Request& req, const std::string& key);
  Response door(const Request& req);
  Response check_in(const Request& req);
  /// The attendee list's "Waiting list" section: settings, held places, open offers.
  void waiting_list_data(TemplateData& d, const Event& e, const EventCounts& counts);
  Response save_waiting_list(const Request& req, const std::string& key);
  Response offer_place(const Request& req, const std::string& key);

  SiteRef site_;
  RegistrationService& registrations_;
  WaitingListOffers& offers_;
  const NoShowReport& no_shows_;
};

}  // namespace marquee
