#pragma once
// A visitor's personal agenda (issue 20): the page /agenda (the events starred
// on this device, by day, with overlaps and walks between venues; kept in the
// browser and synced by static/visitor.js through /api/v1/agendas), and
// /agenda/{token}/calendar.ics, the starred events in iCalendar with the
// programme feed's UIDs and SEQUENCE, so a subscribed calendar follows moves.
#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/schedule_feeds.hpp"
#include "app/agendas.hpp"

namespace marquee {

class AgendaPages {
 public:
  AgendaPages(SiteRef site, AgendaService& agendas, const ScheduleFeeds& feeds)
      : site_(std::move(site)), agendas_(agendas), feeds_(feeds) {}

  /// GET /agenda                      public: the page (its content is built by static/visitor.js)
  /// GET /agenda/{token}/calendar.ics  public (the token is the key): 200 text/calendar; 404 unknown agenda
  void add_routes(Router& router);

 private:
  SiteRef site_;
  AgendaService& agendas_;
  const ScheduleFeeds& feeds_;
};

}  // namespace marquee
