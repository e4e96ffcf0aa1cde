#include "adapters/web/access_policy.hpp"

#include <sodium.h>

#include <algorithm>

#include "adapters/http/form.hpp"
#include "adapters/http/multipart_form.hpp"

namespace marquee {

bool is_write(const Request& req) { return req.method != "GET" && req.method != "HEAD"; }

std::string presented_csrf(const Request& req) {
  std::string t = req.header("x-csrf-token");
  if (t.empty() && req.header("content-type").starts_with("application/x-www-form-urlencoded")) {
    auto form = parse_form(req.body);
    t = form["csrf_token"];
  } else if (t.empty() && req.header("content-type").starts_with("multipart/form-data")) {
    if (auto parts = parse_multipart_request(req))
      if (auto it = parts->find("csrf_token"); it != parts->end()) t = it->second.value;
  }
  return t;
}

bool same_token(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

AccessPolicy::AccessPolicy(Accounts& accounts, BearerTokens staff, BearerTokens deploy, BearerTokens cron)
    : accounts_(accounts), staff_(std::move(staff)), deploy_(std::move(deploy)), cron_(std::move(cron)) {}

AccessDecision AccessPolicy::decide(const Request& req, const Route& route, bool body_read) const {
  const bool write = is_write(req);
  if (route.access == Access::deploy) {
    if (deploy_.allows(req)) return AccessDecision{true, 200, "deploy token", ""};
    return AccessDecision{false, 401, "", "This route needs a deploy token: send 'Authorization: Bearer <token>'."};
  }
  if (route.access == Access::cron) {
    if (cron_.allows(req)) return AccessDecision{true, 200, "cron", ""};
    return AccessDecision{false, 401, "", "This route needs the cron secret: send 'Authorization: Bearer <secret>'."};
  }
  if (route.access == Access::staff && !req.header("authorization").empty()) {
    // A staff token is an operator's script credential: it acts with the owner role
    // (scoped API tokens will narrow this).
    if (staff_.allows(req)) {
      if (!role_can(Role::owner, route.capability, write))
        return AccessDecision{false, 403, "staff token", "Staff tokens may not do this."};
      return AccessDecision{true, 200, "staff token", ""};
    }
    const std::string auth = req.header("authorization");
    auto token = auth.size() > 7 ? accounts_.check_api_token(auth.substr(7)) : std::nullopt;
    if (!token) return AccessDecision{false, 401, "", "The bearer token is unknown, revoked or expired."};
    const std::string actor = "token " + std::to_string(token->id) + " (" + token->name + ")";
    const auto scope = std::string(to_string(route.capability));
    if (std::find(token->scopes.begin(), token->scopes.end(), scope) == token->scopes.end())
      return AccessDecision{false, 403, actor, "This token's scopes do not include '" + scope + "'."};
    return AccessDecision{true, 200, actor, ""};
  }
  auto who = accounts_.authenticate(req.cookie(kSessionCookie));
  if (!who) return AccessDecision{false, 401, "", ""};
  if (!role_can(who->user.role, route.capability, write))
    return AccessDecision{false, 403, who->user.email,
                          "Your role (" + std::string(to_string(who->user.role)) + ") may not do this."};
  if (write && body_read && !same_token(presented_csrf(req), who->session.csrf_token))
    return AccessDecision{false, 403, who->user.email, "Missing or wrong CSRF token; reload the page and try again."};
  return AccessDecision{true, 200, who->user.email, "", std::string(to_string(who->user.role)), who->session.csrf_token};
}

}  // namespace marquee
