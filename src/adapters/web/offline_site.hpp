#pragma once
// The public site as an installable web app that keeps working offline
// (issue 20). A service worker (static/site-sw.js, built on Workbox from
// npm) keeps the static files (precached by revision) and the pages and
// data of the live snapshot, which /offline/manifest.json lists; the
// snapshot's number and content hash tell a phone when its copy is out of
// date. Pages and data come from the in-memory programme: no request
// touches the store.
#include <atomic>
#include <memory>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/representation.hpp"
#include "core/programme.hpp"
#include "ports/clock.hpp"

namespace marquee {

class OfflineSite {
 public:
  /// `clock`: for which events are upcoming (kept first); must outlive this.
  OfflineSite(SiteRef site, const Clock& clock);

  /// Makes the offline manifest of `programme` current (ProgrammeCache calls this on each swap).
  void install(const ProgrammePtr& programme);

  /// GET /sw.js                  the service worker, scope "/" ("no-cache": a phone checks it on each visit);
  ///                             its first line is the precache list of static files with their revisions
  ///                             (self.__WB_MANIFEST, as Workbox's injectManifest writes it)
  /// GET /manifest.webmanifest   the web app manifest (W3C), named after the festival
  /// GET /offline                the page a phone shows for what it did not keep (static/offline.js
  ///                             fills it with search results or an event from the kept event list)
  /// GET /offline/manifest.json  {"snapshot": N (0 = a fallback programme), "content_hash": hex SHA-256 or "",
  ///                             "published_at": RFC 3339 UTC or null, "generation": G,
  ///                             "pages": [paths to keep], "data": [JSON paths to keep]};
  ///                             503 problem+json while no programme is loaded
  void add_routes(Router& router);

  /// At most this many event pages are listed for keeping (upcoming ones
  /// first); the others are kept when opened and, offline, drawn from the
  /// kept event list.
  static constexpr std::size_t kMaxEventPages = 600;
  /// The whole event list (what offline search and pages drawn on the phone
  /// read) is kept only for programmes up to this size (about 6 MB of JSON);
  /// a larger one works offline through its kept pages alone.
  static constexpr std::size_t kMaxListedEvents = 5000;

 private:
  SiteRef site_;
  const Clock& clock_;
  Representation worker_;
  std::shared_ptr<const Representation> manifest_;
};

}  // namespace marquee
