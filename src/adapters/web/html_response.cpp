#include "adapters/web/html_response.hpp"

#include "adapters/http/security_headers.hpp"

namespace marquee {

Response private_html(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::make_shared<const std::string>(std::move(body));
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  return r;
}

Response see_other(const std::string& location) {
  Response r;
  r.status = 303;
  if (is_local_path(location)) {
    r.headers.emplace_back("Location", location);
  } else {
    r.headers.emplace_back("Location", "/admin");
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::make_shared<const std::string>();
  return r;
}

}  // namespace marquee
