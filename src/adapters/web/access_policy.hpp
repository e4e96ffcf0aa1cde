#pragma once
// Who may call a route: bearer tokens (staff, deploy) or a console session
// whose role has the route's capability; state-changing requests made with a
// session cookie must carry its CSRF token (header X-CSRF-Token or form
// field csrf_token), compared in constant time.
#include "adapters/web/bearer_tokens.hpp"
#include "adapters/http/router.hpp"
#include "app/accounts.hpp"

namespace marquee {

/// The session cookie's name.
inline constexpr const char* kSessionCookie = "marquee_session";

class AccessPolicy {
 public:
  AccessPolicy(Accounts& accounts, BearerTokens staff, BearerTokens deploy, BearerTokens cron);
  /// `body_read` false: a head-only check before the body is read (see
  /// Router::admitted_body); the CSRF token is then not checked.
  AccessDecision decide(const Request& req, const Route& route, bool body_read = true) const;
  const BearerTokens& staff_tokens() const { return staff_; }

 private:
  Accounts& accounts_;
  BearerTokens staff_, deploy_, cron_;
};

/// True for methods that change state (everything but GET and HEAD).
bool is_write(const Request& req);

/// The CSRF token a request carries (X-CSRF-Token header, else the form
/// field csrf_token of a urlencoded or multipart/form-data body).
std::string presented_csrf(const Request& req);

/// Constant-time comparison of two tokens (sodium_memcmp over equal lengths).
bool same_token(const std::string& a, const std::string& b);

}  // namespace marquee
