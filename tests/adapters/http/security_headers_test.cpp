// Security headers on every response and local-only redirects (issue 13, items 7 and 8).
#include <gtest/gtest.h>

#include "adapters/web/html_response.hpp"
#include "adapters/http/security_headers.hpp"

namespace marquee {
namespace {

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

TEST(SecurityHeaders, HtmlGetsThePolicyAndAllResponsesNosniff) {
  Response html;
  html.content_type = "text/html; charset=utf-8";
  add_security_headers(html, {});
  EXPECT_EQ(header(html, "X-Content-Type-Options"), "nosniff");
  EXPECT_NE(header(html, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(header(html, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(header(html, "X-Frame-Options"), "DENY");
  EXPECT_EQ(header(html, "Referrer-Policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(header(html, "Strict-Transport-Security"), "");

  Response json;
  json.content_type = "application/json";
  add_security_headers(json, {true});
  EXPECT_EQ(header(json, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(json, "Content-Security-Policy"), "");
  EXPECT_EQ(header(json, "Strict-Transport-Security"), "max-age=31536000");
}

TEST(SecurityHeaders, AHandlersOwnValueIsKept) {
  Response token_page = private_html(200, "<p>x</p>");  // no-referrer: the URL carries a token
  add_security_headers(token_page, {});
  int referrer = 0;
  for (const auto& [k, v] : token_page.headers)
    if (k == "Referrer-Policy") {
      ++referrer;
      EXPECT_EQ(v, "no-referrer");
    }
  EXPECT_EQ(referrer, 1);
}

TEST(LocalRedirects, OnlyPathsOnThisSite) {
  EXPECT_TRUE(is_local_path("/admin/attendees/hl27-007?notice=checked-in"));
  EXPECT_FALSE(is_local_path("//evil.example/x"));
  EXPECT_FALSE(is_local_path("/\\evil.example"));
  EXPECT_FALSE(is_local_path("https://evil.example/"));
  EXPECT_FALSE(is_local_path("/a\r\nSet-Cookie: x=1"));
  EXPECT_FALSE(is_local_path(""));
  EXPECT_EQ(header(see_other("https://evil.example/"), "Location"), "/admin");
  EXPECT_EQ(header(see_other("/admin/events"), "Location"), "/admin/events");
}

}  // namespace
}  // namespace marquee
