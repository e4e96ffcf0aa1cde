#include "adapters/http/security_headers.hpp"

#include <algorithm>
#include <cctype>

namespace marquee {
namespace {

constexpr const char* kPublicPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

bool has(const Response& resp, const std::string& name) {
  return std::any_of(resp.headers.begin(), resp.headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  });
}

void add(Response& resp, const std::string& name, const char* value) {
  if (!has(resp, name)) resp.headers.emplace_back(name, value);
}

}  // namespace

void add_security_headers(Response& resp, const SecurityHeaderOptions& options) {
  add(resp, "X-Content-Type-Options", "nosniff");
  if (options.hsts) add(resp, "Strict-Transport-Security", "max-age=31536000");
  if (!resp.content_type.starts_with("text/html")) return;
  add(resp, "Content-Security-Policy", kPublicPolicy);
  add(resp, "X-Frame-Options", "DENY");
  add(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
  add(resp, "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=(), usb=()");
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
