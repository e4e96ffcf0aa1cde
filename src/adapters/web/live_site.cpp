#include "adapters/web/live_site.hpp"

#include <cctype>

#include "adapters/assets/embedded.hpp"

namespace marquee {

LiveSite::LiveSite(FestivalSettingsService& settings)
    : default_icon_(make_representation(std::string(embedded_asset("static/favicon.svg")), "image/svg+xml",
                                        "public, max-age=86400")),
      settings_(settings) {
  rebuild();
  settings_.on_change([this] { rebuild(); });
}

void LiveSite::rebuild() {
  const auto s = settings_.effective();
  auto next = std::make_shared<State>();
  next->info.name = s->name;
  next->info.public_url = s->public_url;
  next->info.contact_email = s->contact_email;
  next->info.time_zone = s->time_zone;
  if (s->logo) {
    next->logo = make_representation(s->logo->bytes, s->logo->content_type, "public, max-age=300");
    std::string digits;
    for (char c : next->logo->etag)
      if (std::isalnum(static_cast<unsigned char>(c))) digits += c;
    next->info.logo_href = "/logo?v=" + digits.substr(0, 16);
  }
  std::atomic_store(&state_, std::shared_ptr<const State>(std::move(next)));
}

SiteInfo LiveSite::current() const { return std::atomic_load(&state_)->info; }

SiteRef LiveSite::ref() const {
  return SiteRef(std::function<SiteInfo()>([this] { return current(); }));
}

Response LiveSite::logo(const Request& req) const {
  const auto state = std::atomic_load(&state_);
  if (!state->logo) {
    Response r;
    r.status = 404;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::make_shared<const std::string>(error_page_html(state->info, 404, "No logo", "This festival has no logo."));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  Representation rep = *state->logo;
  const std::string wanted = req.param("v");
  if (!wanted.empty() && state->info.logo_href == "/logo?v=" + wanted) rep.cache_control = "public, max-age=31536000, immutable";
  return respond_with(rep, req);
}

Response LiveSite::favicon(const Request& req) const {
  const auto state = std::atomic_load(&state_);
  return respond_with(state->logo ? *state->logo : default_icon_, req);
}

}  // namespace marquee
