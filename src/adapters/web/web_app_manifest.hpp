#pragma once
// Web app manifests (W3C Web Application Manifest): what a phone needs to
// install a part of the site as an app (the public programme, the door app).
#include <string>

namespace marquee {

struct WebAppManifest {
  std::string name;        ///< e.g. "Summer Festival" (any UTF-8; escaped as JSON)
  std::string short_name;  ///< under the home-screen icon, ≤ 12 characters advised
  std::string start_url;   ///< e.g. "/"
  std::string scope;       ///< e.g. "/"; pages outside it open in the browser
  std::string orientation; ///< "" = any, "portrait"
};

/// The manifest as JSON: display "standalone", Marquee's colours, and the
/// icons drawn at build time (/static/icon-192.png, /static/icon-512.png,
/// the latter also "maskable": its mark stays inside the safe zone) plus
/// the SVG favicon.
std::string web_app_manifest_json(const WebAppManifest& m);

}  // namespace marquee
