#include "adapters/web/agenda_feed.hpp"

#include "adapters/http/problem.hpp"

namespace marquee {

void AgendaFeed::add_routes(Router& router) {
  router.add(Route{"GET", "/agenda/{token}/calendar.ics", Access::public_access,
                   [this](const Request& req, const PathParams& p) {
                     const auto agenda = agendas_.find(p.at("token"));
                     if (!agenda)
                       return problem(404, "/problems/not-found", "Not Found", "There is no agenda at this link.", req.path);
                     return feeds_.selection_calendar(req, agenda->event_keys, site_.get().name + ": my agenda");
                   }});
}

}  // namespace marquee
