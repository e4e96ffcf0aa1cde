#pragma once
// The console's page frame: who is signed in (from the access check), the
// navigation their role may use, notices after a form post, and the
// response headers of every console page (private, never framed, a strict
// Content-Security-Policy: scripts and styles from /static only).
#include <string>

#include "adapters/render/templates.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/web/pages.hpp"
#include "core/event.hpp"
#include "core/roles.hpp"

namespace marquee {

struct ConsoleUser {
  std::string email;
  Role role = Role::viewer;
  std::string csrf_token;
  /// role_can(role, c, write).
  bool can(Capability c, bool write = false) const;
};

/// The signed-in user the router's access check put on the request
/// (Request::actor, actor_role, csrf_token).
ConsoleUser console_user(const Request& req);

/// A template data object with `csrf_token`, `email`, `role` and one boolean
/// per capability the user has for writing ("can_content", "can_operate",
/// "can_attendees", "can_check_in", "can_users") and "can_view".
TemplateData console_data(const ConsoleUser& user);

/// Renders templates/<name>.mustache with `data` inside the console layout;
/// `section` marks the current navigation entry ("events", "import", …).
/// `notice`: a fixed notice code from the query (?notice=published), shown as
/// a banner when known (unknown codes show nothing, so links cannot inject text).
Response console_page(const SiteInfo& site, const ConsoleUser& user, int status, const std::string& title,
                      const std::string& section, const std::string& name, const TemplateData& data,
                      const std::string& notice = "");

/// An instant (UTC seconds) as the console shows it: "2026-06-12 19:00" in
/// `zone` (IANA); RFC 3339 in UTC when the zone is unknown.
std::string console_local_time(UnixSeconds t, const std::string& zone);

/// True when the request came from htmx (header HX-Request: true): answer
/// with a fragment instead of a whole page.
bool is_htmx(const Request& req);

/// An HTML fragment response (no layout) with the console's headers.
Response console_fragment(int status, std::string html);

/// A console error page (404, 409, 422 …) with a way back.
Response console_error(const SiteInfo& site, const ConsoleUser& user, int status, const std::string& title,
                       const std::string& detail, const std::string& back_href);

}  // namespace marquee
