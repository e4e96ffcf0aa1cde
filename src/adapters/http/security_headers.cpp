#include "adapters/http/security_headers.hpp"

#include <algorithm>
#include <cctype>

namespace marquee {
namespace {

// Public pages show festival images from anywhere over https (event and logo URLs).
const std::string& public_policy() {
  static const std::string policy = content_security_policy("https: data:");
  return policy;
}

bool has(const Response& resp, const std::string& name) {
  return std::any_of(resp.headers.begin(), resp.headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  });
}

void add(Response& resp, const std::string& name, const std::string& value) {
  if (!has(resp, name)) resp.headers.emplace_back(name, value);
}

}  // namespace

void add_security_headers(Response& resp, const SecurityHeaderOptions& options) {
  add(resp, "X-Content-Type-Options", "nosniff");
  if (options.hsts) add(resp, "Strict-Transport-Security", "max-age=31536000");
  if (!resp.content_type.starts_with("text/html")) return;
  add(resp, "Content-Security-Policy", public_policy());
  add(resp, "X-Frame-Options", "DENY");
  add(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
  add(resp, "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=(), usb=()");
}

std::string content_security_policy(std::string_view img_sources, std::string_view media_sources) {
  std::string p = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";
  if (!img_sources.empty()) p.append(" ").append(img_sources);
  p += "; ";
  if (!media_sources.empty()) p.append("media-src 'self' ").append(media_sources).append("; ");
  p += "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  return p;
}

bool is_local_path(const std::string& target) {
  if (target.empty() || target[0] != '/') return false;
  if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return false;
  return std::all_of(target.begin(), target.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '\\';
  });
}

}  // namespace marquee
