#pragma once
// The site identity every page renders with (SiteInfo), kept in step with the
// festival settings: rebuilt once per change, read lock-free by requests.
// Also answers GET /logo with the current logo image.
#include <memory>
#include <optional>

#include "adapters/http/http_types.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/web/representation.hpp"
#include "app/festival_settings_service.hpp"

namespace marquee {

class LiveSite {
 public:
  /// Registers with `settings` for changes; `settings` must outlive this.
  explicit LiveSite(FestivalSettingsService& settings);

  /// The identity now: name, public URL, contact, logo_href ("/logo?v=<ETag
  /// digits>", so a new image gets a new address and the old one may be cached).
  SiteInfo current() const;
  /// A SiteRef reading current() at each use (this must outlive it).
  SiteRef ref() const;

  /// GET /logo (public): the logo with its sniffed type, ETag, and
  /// "Cache-Control: public, max-age=31536000, immutable" when ?v= names the
  /// current image (else max-age=300); 404 problem page when there is none.
  Response logo(const Request& req) const;
  /// GET /favicon.ico (public): the logo when there is one, else Marquee's
  /// icon (static/favicon.svg), so browsers asking for it never get a 404.
  Response favicon(const Request& req) const;

 private:
  struct State {
    SiteInfo info;
    std::optional<Representation> logo;
  };
  Representation default_icon_;
  void rebuild();

  FestivalSettingsService& settings_;
  std::shared_ptr<const State> state_;
};

}  // namespace marquee
