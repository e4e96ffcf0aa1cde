#pragma once
// Server-rendered HTML pages of the public programme (templates/*.mustache).
#include <string>

#include "core/event_query.hpp"
#include "core/programme.hpp"

namespace marquee {

struct SiteInfo {
  std::string name = "Marquee";  ///< shown in the header and <title>
};

/// The programme page: search form (q, category, venue, from, to; works
/// without JavaScript), then the matching events grouped by local day.
/// `filtered` is false for the plain "/" page.
std::string programme_page_html(const SiteInfo& site, const Programme& p, const QueryPage& page, const EventQuery& q,
                                bool filtered);

/// The event page: time in the venue's zone, venue, room, description
/// (Markdown, rendered safely), links.
std::string event_page_html(const SiteInfo& site, const ProgrammeEntry& e);

/// A plain HTML error page (404 and friends) for browsers.
std::string error_page_html(const SiteInfo& site, int status, const std::string& title, const std::string& detail);

/// "Friday 12 June 2026" for "2026-06-12".
std::string day_label(const std::string& ymd);

/// "Friday 11 June 2027, 19:00–21:00 (Europe/Berlin)" in the event's zone.
std::string when_text(const Event& e);

/// Wraps a rendered fragment in the site layout.
std::string layout_page(const SiteInfo& site, const std::string& title, const std::string& content_html);

}  // namespace marquee
