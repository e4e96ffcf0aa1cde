#pragma once
// A personal agenda's calendar (issue 20): /agenda/{token}/calendar.ics, the
// starred events in iCalendar with the programme feed's UIDs and SEQUENCE,
// so a calendar app that subscribes follows moves and cancellations.
#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/schedule_feeds.hpp"
#include "app/agendas.hpp"

namespace marquee {

class AgendaFeed {
 public:
  AgendaFeed(SiteRef site, AgendaService& agendas, const ScheduleFeeds& feeds)
      : site_(std::move(site)), agendas_(agendas), feeds_(feeds) {}

  /// GET /agenda/{token}/calendar.ics  public (the token is the key): 200 text/calendar; 404 unknown agenda
  void add_routes(Router& router);

 private:
  SiteRef site_;
  AgendaService& agendas_;
  const ScheduleFeeds& feeds_;
};

}  // namespace marquee
