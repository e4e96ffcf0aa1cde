#pragma once
// The security headers every response carries (OWASP Secure Headers), added
// in one place after the router answered; a handler that set one keeps its
// own value (e.g. the console's CSP, `no-referrer` on token pages).
#include <string>
#include <string_view>

#include "adapters/http/http_types.hpp"

namespace marquee {

struct SecurityHeaderOptions {
  /// Send Strict-Transport-Security (max-age one year, RFC 6797) — set when
  /// the public URL is https.
  bool hsts = false;
};

/// Adds to `resp`, unless already present: `X-Content-Type-Options: nosniff`
/// (every response); for HTML responses a Content-Security-Policy (scripts,
/// styles, fonts and frames from this origin only, images also over https
/// and as data: URLs, no plugins, `frame-ancestors 'none'`),
/// `X-Frame-Options: DENY`, `Referrer-Policy: strict-origin-when-cross-origin`
/// and a Permissions-Policy that denies the microphone, geolocation and
/// payment APIs and allows the camera to this origin only (door scanning);
/// HSTS when enabled.
void add_security_headers(Response& resp, const SecurityHeaderOptions& options);

/// A Content-Security-Policy (CSP Level 3) allowing scripts, styles, fonts,
/// connections, workers and manifests from this origin only, forms that post
/// here, and no plugins, framing or <base>; images from this origin and
/// `img_sources` (e.g. "https: data:"), media (<video>, a camera stream) from
/// this origin and `media_sources` when not empty (e.g. "blob:"). Every
/// page family (public, console, door) builds its policy here.
std::string content_security_policy(std::string_view img_sources, std::string_view media_sources = "");

/// True for a redirect target that stays on this site: a path starting with
/// one '/' (not '//' or '/\'), made of printable ASCII without backslashes.
bool is_local_path(const std::string& target);

}  // namespace marquee
