#pragma once
// The console's Settings page (owners): the festival's name, default time
// zone, public URL, contact address and logo (app/festival_settings_service).
// A value given by a server flag is shown as fixed: the flag wins.
#include "adapters/web/live_site.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/festival_settings_service.hpp"

namespace marquee {

class SettingsConsole {
 public:
  SettingsConsole(SiteRef site, FestivalSettingsService& settings, LiveSite& live);

  /// GET  /admin/settings   settings  the form
  /// POST /admin/settings   settings  multipart/form-data: name, time_zone,
  ///                                  public_url, contact_email, logo (file,
  ///                                  ≤ 256 KiB PNG/JPEG/GIF/WebP), remove_logo
  /// GET  /logo             public    the current logo (LiveSite::logo)
  /// GET  /favicon.ico      public    the logo, else Marquee's icon
  void add_routes(Router& router);

 private:
  Response form(const Request& req, const FestivalSettings& shown,
                const std::vector<std::pair<std::string, std::string>>& problems, int status);
  Response save(const Request& req);

  SiteRef site_;
  FestivalSettingsService& settings_;
  LiveSite& live_;
};

}  // namespace marquee
