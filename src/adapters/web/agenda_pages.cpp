#include "adapters/web/agenda_pages.hpp"

#include "adapters/http/problem.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"

namespace marquee {

void AgendaPages::add_routes(Router& router) {
  router.add(Route{"GET", "/agenda", Access::public_access, [this](const Request&, const PathParams&) {
                     Response r = private_html(200, layout_page(site_.get(), "My agenda",
                                                                render_template("agenda", TemplateData{kainjow::mustache::object{}})));
                     return r;
                   }, true});
  router.add(Route{"GET", "/agenda/{token}/calendar.ics", Access::public_access,
                   [this](const Request& req, const PathParams& p) {
                     const auto agenda = agendas_.find(p.at("token"));
                     if (!agenda)
                       return problem(404, "/problems/not-found", "Not Found", "There is no agenda at this link.", req.path);
                     return feeds_.selection_calendar(req, agenda->event_keys, site_.get().name + ": my agenda");
                   }, true});
}

}  // namespace marquee
