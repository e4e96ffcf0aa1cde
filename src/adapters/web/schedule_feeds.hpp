#pragma once
// What people follow the programme with, rendered on first request once per
// published snapshot: the iCalendar feed /calendar.ics (RFC 5545; ?category= and
// ?tag= filters) and /events/{key}.ics, the frab exports /schedule.xml and
// /schedule.json, and the public changelog /changelog (HTML),
// /changelog.atom (RFC 4287) and GET /api/v1/changelog (JSON).
#include <memory>
#include <string>
#include <vector>

#include "adapters/web/pages.hpp"
#include "adapters/web/representation.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/visit_counter.hpp"
#include "core/programme.hpp"

namespace marquee {

class ScheduleFeeds {
 public:
  /// `public_url`: the site's public base URL (no trailing slash), for absolute
  /// links, when the site identity has none.
  ScheduleFeeds(SiteRef site, std::string public_url);

  /// Installs `programme` (on each programme swap); each feed is rendered
  /// on its first request, once, and kept until the next programme.
  void install(const ProgrammePtr& programme);

  /// GET /calendar.ics, /events/{key}.ics, /schedule.xml, /schedule.json,
  /// /changelog, /changelog.atom, /api/v1/changelog. Add before Site's routes
  /// (/events/{key} would take "x.ics" otherwise).
  void add_routes(Router& router);

  /// The iCalendar (RFC 5545) of the events `keys` that are in the current
  /// programme, in programme order, with the programme feed's UIDs and
  /// SEQUENCE (so a calendar app follows a move), named `name`: for personal
  /// agendas. Private ("Cache-Control: private, max-age=60"). 503 while the
  /// programme loads.
  Response selection_calendar(const Request& req, const std::vector<std::string>& keys, const std::string& name) const;

  /// Where fetches of the feeds (signal feed_fetch, detail the feed's path
  /// without the leading '/': "calendar.ics" with any filter) and downloads of an
  /// event's .ics (calendar_save "ics") are counted; null: not counted.
  void set_visit_counter(const VisitCounter* counter) { counter_ = counter; }

 private:
  struct Rendered;
  enum class Feed { calendar, schedule_xml, schedule_json, changelog_html, changelog_atom, changelog_json };
  std::shared_ptr<const Rendered> rendered() const { return std::atomic_load(&rendered_); }
  /// `which` feed of `r`, rendered on first use.
  const Representation& feed(const Rendered& r, Feed which) const;
  static const RenderOnce& slot(const Rendered& r, Feed which);
  /// Whether `which` of the current programme is still to be rendered.
  bool pending(Feed which) const;
  Response calendar(const Request& req) const;
  Response event_calendar(const Request& req, const std::string& key) const;
  Response changelog_api(const Request& req) const;
  /// The festival settings' public URL, else the one given at construction.
  std::string base_url() const;

  SiteRef site_;
  const VisitCounter* counter_ = nullptr;
  std::string public_url_;
  std::shared_ptr<const Rendered> rendered_;
};

}  // namespace marquee
