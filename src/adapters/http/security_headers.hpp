#pragma once
// The security headers every response carries (OWASP Secure Headers), added
// in one place after the router answered; a handler that set one keeps its
// own value (e.g. the console's CSP, `no-referrer` on token pages).
#include <string>

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

/// True for a redirect target that stays on this site: a path starting with
/// one '/' (not '//' or '/\'), made of printable ASCII without backslashes.
bool is_local_path(const std::string& target);

}  // namespace marquee
