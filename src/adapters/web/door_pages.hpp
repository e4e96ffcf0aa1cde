#pragma once
// The door app (issue 19): a phone at a gate picks a check-in list, scans
// tickets with its camera (the page's script: BarcodeDetector, else jsQR),
// and keeps working offline (a service worker keeps the page, IndexedDB the
// list's tickets and the scans waiting to be sent). Without JavaScript the
// page is a form that records one typed code per post. Moves go through
// app/checkins; these handlers parse and render.
#include "adapters/http/router.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/pages.hpp"
#include "app/checkins.hpp"
#include "app/door_releases.hpp"

namespace marquee {

class DoorPages {
 public:
  DoorPages(SiteRef site, CheckinService& service, CheckinStore& lists, EventReader& events, DoorReleases& releases);

  /// GET  /door                       check_in  the lists this user may scan at (one: straight to it)
  /// GET  /door/{id}                  check_in  the scanner of list {id}; 403 for a list the door user is not assigned to
  /// POST /door/{id}                  check_in  code, direction ("entry"|"exit") → the page with the outcome
  /// POST /door/{id}/release          check_in  event → releases its places of those not checked in (app/door_releases)
  /// GET  /door/sw.js                 public    the door app's service worker (scope /door: the chooser and every scanner)
  /// GET  /door/manifest.webmanifest  public    the web app manifest (W3C Web Application Manifest)
  void add_routes(Router& router);

 private:
  Response choose(const Request& req);
  Response scanner(const Request& req, const std::string& id, const TemplateData* outcome = nullptr, int status = 200);
  Response scan(const Request& req, const std::string& id);
  Response release(const Request& req, const std::string& id);

  SiteRef site_;
  CheckinService& service_;
  CheckinStore& lists_;
  EventReader& events_;
  DoorReleases& releases_;
};

/// What the door says for a scan's result: {"css": "good"|"bad"|"out",
/// "headline", "detail"}; `zone` for the time of an earlier entry.
TemplateData door_outcome(const ScanResult& result, const std::string& event_title, const std::string& zone);

}  // namespace marquee
