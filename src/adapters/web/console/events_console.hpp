#pragma once
// The console's events: the sheet (an editable grid over the working state
// with filters, sort, paging, inline edits and bulk changes), the full event
// form, and a new event. Every edit names the version it was based on; a
// stale one is refused with the other change shown (no silent overwrites).
#include <map>
#include <utility>
#include <vector>

#include "adapters/web/console/console_page.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "ports/clock.hpp"
#include "app/event_moves.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

class EventsConsole {
 public:
  /// `events`: what the pages read; `moves`: the writes (each audited).
  EventsConsole(SiteRef site, EventReader& events, EventMoves& moves, const Clock& clock);

  /// GET  /admin/events                 view     the sheet (?q, status, category, venue, warnings, sort, dir, page)
  /// POST /admin/events/{key}/cell      content  one cell: field, value, version (htmx: answers the row)
  /// POST /admin/events/bulk            content  select=key:version… or scope=all with the sheet's
  ///                                             filter (q, status, category, venue, warnings);
  ///                                             action=set:FIELD (or field=FIELD) with value, or
  ///                                             action=delete with confirm=delete. Without the
  ///                                             value/confirm: the page that asks for it.
  /// POST /admin/events/restore         content  audit=ID: puts back an event deleted by that entry
  /// GET  /admin/demo                   content  confirm removing the bundled demo programme
  /// POST /admin/demo                   content  remove it (app/event_delete: remove_demo_programme)
  /// GET  /admin/events/new             content  the empty form
  /// POST /admin/events/new             content  creates a draft or published event
  /// GET  /admin/events/{key}           view     the full form (read-only without the content capability)
  /// POST /admin/events/{key}           content  saves the full form (version required)
  /// GET  /admin/export/events.csv      view     the working state as CSV (marquee export)
  void add_routes(Router& router);

 private:
  Response sheet(const Request& req);
  Response cell(const Request& req, const std::string& key);
  Response bulk(const Request& req);
  Response restore(const Request& req);
  Response demo(const Request& req);
  Response bulk_confirm(const Request& req, const ConsoleUser& user, const std::string& action, const std::string& field,
                        const std::vector<std::pair<std::string, std::int64_t>>& selected,
                        const std::map<std::string, const Event*>& by_key, const std::vector<Event>& events);
  Response bulk_delete(const Request& req, const ConsoleUser& user,
                       const std::vector<std::pair<std::string, std::int64_t>>& selected);
  Response form(const Request& req, const std::string& key);
  Response save(const Request& req, const std::string& key);
  Response create(const Request& req);
  Response export_csv(const Request& req);

  SiteRef site_;
  EventReader& events_;
  EventMoves& moves_;
  const Clock& clock_;
};

}  // namespace marquee
