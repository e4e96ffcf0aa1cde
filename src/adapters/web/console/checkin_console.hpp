#pragma once
// The console's check-in lists (issue 19): every list with its live
// occupancy (red at the alarm level), a list's page with occupancy by venue,
// the duplicates offline devices flagged and the latest scans, the forms that
// make and change lists, and the printable door list for when every device
// fails. Moves go through app/checkins (audited); handlers parse and render.
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/checkins.hpp"
#include "ports/clock.hpp"

namespace marquee {

class CheckinConsole {
 public:
  CheckinConsole(SiteRef site, CheckinService& service, CheckinStore& lists, EventReader& events, AccountStore& accounts,
                 const Clock& clock);

  /// GET  /admin/checkin-lists               view       every list with its occupancy
  /// GET  /admin/checkin-lists/occupancy     view       htmx: the occupancy rows, polled every second
  /// GET  /admin/checkin-lists/new           operate    the form of a new list
  /// POST /admin/checkin-lists               operate    name, event (repeated), venue, day, allow_reentry, opens_at,
  ///                                                    closes_at (local, YYYY-MM-DDTHH:MM), room_capacity,
  ///                                                    alarm_percent, door_user (repeated) → 303 to the list
  /// GET  /admin/checkin-lists/{id}          view       occupancy, by venue, flagged duplicates, latest scans, edit form
  /// GET  /admin/checkin-lists/{id}/live     view       htmx: the occupancy panel, polled every second
  /// POST /admin/checkin-lists/{id}          operate    the same fields → 303 back
  /// GET  /admin/checkin-lists/{id}/print    attendees  the printable door list (names, codes, state, a box to tick)
  /// Names of attendees show only to users with the attendees capability.
  void add_routes(Router& router);

 private:
  /// Every list with its figures, for the index and its polled rows.
  TemplateData occupancy_list();
  Response index(const Request& req);
  Response occupancy_rows(const Request& req);
  Response new_list(const Request& req);
  Response create(const Request& req);
  Response list_page(const Request& req, const std::string& id, const std::string& problem = "", int status = 200,
                     const std::string& posted = "");
  Response live(const Request& req, const std::string& id);
  Response update(const Request& req, const std::string& id);
  Response print(const Request& req, const std::string& id);

  /// The form's data: every event to tick (with `chosen` ticked), venues, days,
  /// door users (with `assigned` ticked) and the list's values.
  TemplateData form_data(const ConsoleUser& user, const CheckinListInput& in, const std::string& zone);
  /// The time zone list times are shown and read in: the settings' zone, else
  /// the zone of the first event, else UTC.
  std::string zone() const;

  SiteRef site_;
  CheckinService& service_;
  CheckinStore& lists_;
  EventReader& events_;
  AccountStore& accounts_;
  const Clock& clock_;
};

}  // namespace marquee
