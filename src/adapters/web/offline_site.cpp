#include "adapters/web/offline_site.hpp"

#include <set>

#include <boost/json.hpp>

#include "adapters/assets/embedded.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/web_app_manifest.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

// The static files public pages use, precached by the service worker.
constexpr const char* kPrecached[] = {"static/app.css",      "static/offline.js",   "static/event-live.js",
                                      "static/visitor.js",   "static/favicon.svg",  "static/icon-192.png"};

std::string revision_of(std::string_view bytes) {
  const std::string etag = etag_of(std::string(bytes));
  return etag.size() > 2 ? etag.substr(1, etag.size() - 2) : etag;
}

std::string worker_script() {
  boost::json::array precache;
  for (const char* name : kPrecached)
    precache.push_back(boost::json::object{{"url", "/" + std::string(name)}, {"revision", revision_of(embedded_asset(name))}});
  return "self.__WB_MANIFEST = " + boost::json::serialize(precache) + ";\n" +
         std::string(embedded_asset("static/site-sw.js"));
}

std::string manifest_json(const Programme& programme, UnixSeconds now) {
  const Publication& pub = programme.publication();
  boost::json::array pages{"/", "/offline", "/agenda", "/changelog"};
  std::set<std::string> days;
  const std::string* previous = nullptr;  // in start order most entries share the day before theirs: no set lookup
  for (const auto& e : programme.entries()) {
    if (previous && *previous == e.local_date) continue;
    previous = &e.local_date;
    if (days.insert(e.local_date).second) pages.emplace_back("/?day=" + e.local_date);
  }
  // Upcoming events first (those a visitor is planning), then past ones, up to the limit.
  std::size_t listed = 0;
  for (const bool upcoming : {true, false})
    for (const auto& e : programme.entries()) {
      if (listed == OfflineSite::kMaxEventPages) break;
      const UnixSeconds end = e.event.ends_at > e.event.starts_at ? e.event.ends_at : e.event.starts_at;
      if ((end >= now) != upcoming) continue;
      pages.emplace_back("/events/" + percent_encode(e.event.key));
      ++listed;
    }
  boost::json::object doc{
      {"snapshot", pub.snapshot},
      {"content_hash", pub.content_hash},
      {"published_at", pub.published_at > 0 ? boost::json::value(format_utc(pub.published_at)) : boost::json::value(nullptr)},
      {"generation", programme.generation()},
      {"pages", std::move(pages)},
      {"data", programme.entries().size() <= OfflineSite::kMaxListedEvents
                   ? boost::json::array{"/api/v1/events", "/api/v1/availability"}
                   : boost::json::array{"/api/v1/availability"}}};
  return boost::json::serialize(doc);
}

}  // namespace

OfflineSite::OfflineSite(SiteRef site, const Clock& clock)
    : site_(std::move(site)),
      clock_(clock),
      worker_(make_representation(worker_script(), "text/javascript; charset=utf-8", "no-cache")) {}

void OfflineSite::install(const ProgrammePtr& programme) {
  std::atomic_store(&manifest_, std::make_shared<const Representation>(make_representation(
                                    manifest_json(*programme, clock_.now()), "application/json", "no-cache")));
}

void OfflineSite::add_routes(Router& router) {
  router.add(Route{"GET", "/sw.js", Access::public_access,
                   [this](const Request& req, const PathParams&) { return respond_with(worker_, req); }});
  router.add(Route{"GET", "/manifest.webmanifest", Access::public_access, [this](const Request&, const PathParams&) {
                     const std::string name = site_.get().name;
                     Response r;
                     r.content_type = "application/manifest+json";
                     r.body = std::make_shared<const std::string>(
                         web_app_manifest_json(WebAppManifest{name, utf8_prefix(name, 12), "/", "/", ""}));
                     r.headers.emplace_back("Cache-Control", "public, max-age=3600");
                     return r;
                   }});
  router.add(Route{"GET", "/offline", Access::public_access, [this](const Request&, const PathParams&) {
                     Response r;
                     r.content_type = "text/html; charset=utf-8";
                     r.body = std::make_shared<const std::string>(layout_page(
                         site_.get(), "Not kept offline", render_template("offline", TemplateData{kainjow::mustache::object{}})));
                     r.headers.emplace_back("Cache-Control", "public, max-age=300");
                     return r;
                   }});
  router.add(Route{"GET", "/offline/manifest.json", Access::public_access, [this](const Request& req, const PathParams&) {
                     auto m = std::atomic_load(&manifest_);
                     if (!m) return programme_loading(req);
                     return respond_with(*m, req);
                   }});
}

}  // namespace marquee
