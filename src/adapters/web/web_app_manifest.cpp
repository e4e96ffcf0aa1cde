#include "adapters/web/web_app_manifest.hpp"

#include <boost/json.hpp>

namespace marquee {

std::string web_app_manifest_json(const WebAppManifest& m) {
  auto icon = [](const char* src, const char* sizes, const char* type, const char* purpose) {
    return boost::json::object{{"src", src}, {"sizes", sizes}, {"type", type}, {"purpose", purpose}};
  };
  boost::json::object doc{{"name", m.name},
                          {"short_name", m.short_name},
                          {"start_url", m.start_url},
                          {"scope", m.scope},
                          {"display", "standalone"},
                          {"background_color", "#ffffff"},
                          {"theme_color", "#b3261e"},
                          {"icons", boost::json::array{icon("/static/icon-192.png", "192x192", "image/png", "any"),
                                                       icon("/static/icon-512.png", "512x512", "image/png", "any"),
                                                       icon("/static/icon-512.png", "512x512", "image/png", "maskable"),
                                                       icon("/static/favicon.svg", "any", "image/svg+xml", "any")}}};
  if (!m.orientation.empty()) doc["orientation"] = m.orientation;
  return boost::json::serialize(doc) + "\n";
}

}  // namespace marquee
