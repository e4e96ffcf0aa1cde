#pragma once
// Server-rendered HTML pages of the public programme (templates/*.mustache).
#include <functional>
#include <string>

#include "core/event_query.hpp"
#include "core/programme.hpp"

namespace marquee {

/// What every page says about the festival (from the festival settings,
/// flags over them): one immutable value per render.
struct SiteInfo {
  std::string name = "Marquee";  ///< shown in the header and <title>
  std::string public_url;        ///< absolute base without a trailing '/', "" = unknown (links stay relative)
  std::string contact_email;     ///< shown in the footer; "" = none
  std::string logo_href;         ///< e.g. "/logo?v=3f2a…" (changes with the image); "" = no logo
  std::string time_zone;         ///< the settings' default IANA zone for new events; "" = the zone most events use
};

/// A component's view of the site identity: fixed (tests, the CLI) or read
/// anew at each use from the live festival settings, so a change on the
/// Settings page shows on the next page without a restart.
class SiteRef {
 public:
  SiteRef(SiteInfo fixed);  // NOLINT(google-explicit-constructor): a fixed identity is a SiteRef
  explicit SiteRef(std::function<SiteInfo()> live) : live_(std::move(live)) {}
  SiteInfo get() const { return live_ ? live_() : fixed_; }
  operator SiteInfo() const { return get(); }  // NOLINT(google-explicit-constructor)

 private:
  SiteInfo fixed_;
  std::function<SiteInfo()> live_;
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
