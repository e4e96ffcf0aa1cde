#include "adapters/web/go_links.hpp"

#include "core/text.hpp"

namespace marquee {

GoLinks::GoLinks(SiteRef site, EventLookup events, const VisitCounter* counter)
    : site_(std::move(site)), events_(std::move(events)), counter_(counter) {}

Response GoLinks::not_found(const std::string& detail) const {
  Response r;
  r.status = 404;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::make_shared<const std::string>(error_page_html(site_, 404, "Link not found", detail));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response GoLinks::redirect(const std::string& target) const {
  for (unsigned char c : target)
    if (c <= 0x20 || c == 0x7F) return not_found("This event's link is not a valid address.");
  Response r;
  r.status = 302;
  r.headers.emplace_back("Location", target);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::make_shared<const std::string>("See " + target + "\n");
  return r;
}

Response GoLinks::counted(const Request& req, Response r, Signal s) const {
  if (counter_ && r.status == 302) counter_->count(req, std::move(s));
  return r;
}

void GoLinks::add_routes(Router& router) {
  router.add({"GET", "/go/{key}", Access::public_access, [this](const Request& req, const PathParams& p) {
                const std::string& key = p.at("key");
                const auto e = events_(key);
                if (!e) return not_found("There is no event with this address in the programme.");
                if (!has_http_scheme(e->url)) return not_found("This event has no page of its own to go to.");
                return counted(req, redirect(e->url), Signal{SignalKind::outbound_click, key});
              }});
  for (const char* service : {"google", "outlook"})
    router.add({"GET", std::string("/go/{key}/") + service, Access::public_access,
                [this, service = std::string(service)](const Request& req, const PathParams& p) {
                  const std::string& key = p.at("key");
                  const auto e = events_(key);
                  if (!e) return not_found("There is no event with this address in the programme.");
                  const SiteInfo site = site_.get();
                  const std::string page = site.public_url.empty() ? "" : site.public_url + "/events/" + key;
                  const std::string target = service == "google" ? google_calendar_url(*e, page) : outlook_calendar_url(*e, page);
                  return counted(req, redirect(target), Signal{SignalKind::calendar_save, key, service});
                }});
}

}  // namespace marquee
