#pragma once
// Server-rendered HTML pages of the public programme (templates/*.mustache).
#include <functional>
#include <string>
#include <vector>

#include "adapters/render/event_text.hpp"
#include "core/availability.hpp"
#include "core/event_query.hpp"
#include "core/event_suggestions.hpp"
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

/// How the programme page is cut: one day of the programme (with tabs for
/// every day), or one page of search results.
struct ProgrammeView {
  bool filtered = false;   ///< search results (q, category, venue, from, to, tag)
  std::string day;         ///< unfiltered: the local day shown, "YYYY-MM-DD"
  std::string first_upcoming_day;  ///< the day "/" opens on (days before it are past)
  std::string next_href;   ///< filtered: the next page of results, "" = last page
  std::string first_href;  ///< filtered: back to the first page, "" = on it
};

/// A partner's placement as the programme page shows it (issue 17): the
/// event's real time, place and state, labelled "Promoted" with the partner.
struct PromotedCard {
  const ProgrammeEntry* entry = nullptr;
  std::string partner;  ///< "" = no name shown
  std::string href;     ///< where the card links: the click-counting /promoted/{id}
};
/// What the programme page shows besides the programme: the featured hero
/// (unfiltered pages only) and the promoted cards above the list.
struct PromotedContent {
  std::vector<PromotedCard> featured, promoted;
};

/// The programme page: search form (q, category, venue, from, to; works
/// without JavaScript), day tabs (every local day with its count; days
/// before the first upcoming one marked past), then `page`'s events grouped
/// by local day, with a link to the next page of results.
/// With `promoted`: the featured hero above the search form and the
/// promoted cards above the events, each marked "Promoted".
std::string programme_page_html(const SiteInfo& site, const Programme& p, const QueryPage& page, const EventQuery& q,
                                const ProgrammeView& view, const PromotedContent* promoted = nullptr);

/// The local day "/" opens on: the first day on or after today (today in
/// each event's zone at `now`, UTC seconds) that has events; the last day
/// when all are past; "" when empty.
std::string first_upcoming_day(const Programme& p, UnixSeconds now);

/// The event page: time in the venue's zone, venue, room with a map link
/// (OpenStreetMap search for the address), places (core/availability: never
/// the capacity as if it were free), the Register button only when there is
/// something to register for, Add to calendar (.ics download, Google
/// Calendar, Outlook.com), description (Markdown, rendered safely), links,
/// and Open Graph / Twitter card tags (absolute URLs when the site's public
/// URL is known). With `suggestions`: "Also at <venue> that day" and "At
/// the same time" lists below the description (issue 20). The article
/// carries the event's key, UTC times (RFC 3339), time and place as shown
/// and status in data-* attributes, which the visitor's browser keeps to
/// tell what changed since it last looked (static/event-live.js).
std::string event_page_html(const SiteInfo& site, const ProgrammeEntry& e, const Places& places,
                            const EventSuggestions* suggestions = nullptr);

/// "https://calendar.google.com/calendar/render?action=TEMPLATE&text=…&dates=…"
/// for `e` (UTC times, or whole days for all-day events; `page_url` goes in
/// the details when not empty).
std::string google_calendar_url(const Event& e, const std::string& page_url);
/// "https://outlook.live.com/calendar/0/deeplink/compose?…" for `e`
/// (RFC 3339 times with the event's offset, or allday=true with dates).
std::string outlook_calendar_url(const Event& e, const std::string& page_url);
/// "https://www.openstreetmap.org/search?query=…" for the address (with the
/// venue when the address alone is short), or "" when there is no address.
std::string map_url(const Event& e);

/// A plain HTML error page (404 and friends) for browsers.
std::string error_page_html(const SiteInfo& site, int status, const std::string& title, const std::string& detail);

/// Wraps a rendered fragment in the site layout.
std::string layout_page(const SiteInfo& site, const std::string& title, const std::string& content_html);

}  // namespace marquee
