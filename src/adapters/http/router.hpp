#pragma once
// A small router: method + path pattern ("/events/{key}") → handler.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/http/http_types.hpp"
#include "core/roles.hpp"

namespace marquee {

/// Who may call a route, declared next to each route and enforced by the
/// router before the handler runs.
enum class Access {
  public_access,  ///< anyone
  staff,          ///< a staff bearer token (door and operators; see adapters/web/bearer_tokens.hpp)
  deploy,         ///< a deploy bearer token (revalidation from a deploy pipeline)
  console,        ///< a console session (HTML pages under /admin); anonymous → redirect to the login form
  cron,           ///< the cron secret (scheduled jobs from an external scheduler)
};

/// The outcome of an access check.
struct AccessDecision {
  bool allowed = false;
  int status = 401;      ///< 401 (who are you?) or 403 (not allowed / bad CSRF token)
  std::string actor;     ///< who, for the audit log
  std::string detail;    ///< why not, for the client
  std::string role;      ///< the console session's role, when the request has one
  std::string csrf;      ///< the console session's CSRF token, when the request has one
};

/// "public", "staff" or "deploy".
const char* to_string(Access a);

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

struct Route {
  std::string method;   ///< "GET" (HEAD is answered by GET routes)
  std::string pattern;  ///< literal segments and {name} segments
  Access access = Access::public_access;
  Handler handler;
  bool blocking = false;  ///< the handler calls the store: run it on the worker pool
  Capability capability = Capability::view;  ///< what a non-public route needs (core/roles.hpp)
  bool bulk = false;      ///< a long job (an import): run it on the bulk pool, never starving the store pool
  /// Largest request body in bytes for a caller who passes the access rule;
  /// 0 = the server's default (everyone else always gets the default).
  std::size_t body_limit = 0;
  /// Runs this request on the worker pool when it returns true (e.g. while a
  /// large representation is not rendered yet); null = as `blocking` says.
  std::function<bool(const Request&)> blocking_when;
  /// Runs this request on the bulk pool when it returns true (a long answer
  /// made per request, e.g. a search answering every match of a large
  /// programme): such requests queue there, never taking the store pool.
  std::function<bool(const Request&)> bulk_when;
};

class Router {
 public:
  /// Adds a route; its pattern is split into segments once, here.
  void add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  /// The matching route's response; 404 or 405 problem+json otherwise, and
  /// 401 problem+json (WWW-Authenticate: Bearer) when the route's access
  /// rule refuses the request. `route_index`, when given, is set to the
  /// matched route's index in routes() (routes().size() when none matched),
  /// for metrics.
  Response dispatch(const Request& req, std::size_t* route_index = nullptr) const;

  /// Where the route matching `req` runs: Lane::bulk, Lane::store (blocking) or Lane::io.
  Lane lane(const Request& req) const;

  /// From the request head alone, without checking credentials (fast): the
  /// route's body_limit, or 0.
  std::size_t largest_body(const Request& head) const;

  /// From the request head (may block: sessions live in the store): the
  /// route's body_limit when the head's credentials pass the route's access
  /// rule (the CSRF token, which may be in the body, is checked later), else 0.
  std::size_t admitted_body(const Request& head) const;

  /// Decides every non-public route; without one such routes always answer 401.
  /// `body_read` is false for the head-only check of admitted_body(): the
  /// policy then skips checks that need the body (the CSRF form field).
  void set_access_policy(std::function<AccessDecision(const Request&, const Route&, bool body_read)> policy) {
    policy_ = std::move(policy);
  }

  /// The page a signed-in console user gets for a console route their role
  /// may not use (403); without one, a problem+json answer.
  void set_forbidden_page(std::function<Response(const Request&, const std::string& detail)> page) {
    forbidden_page_ = std::move(page);
  }

 private:
  /// One segment of a pattern: a literal, or "{name}" with an optional
  /// literal suffix ("{key}.ics").
  struct Segment {
    std::string text;    ///< the literal, or the parameter's name
    std::string suffix;  ///< after "}" (parameters only)
    bool parameter = false;
  };

  const Route* find(const Request& req, PathParams* params, std::string* allowed, bool* path_known) const;

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> patterns_;  ///< routes_[i].pattern, split
  std::function<AccessDecision(const Request&, const Route&, bool)> policy_;
  std::function<Response(const Request&, const std::string&)> forbidden_page_;
};

}  // namespace marquee
