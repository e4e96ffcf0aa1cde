#pragma once
// A small router: method + path pattern ("/events/{key}") → handler.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/web/http_types.hpp"

namespace marquee {

/// Who may call a route, declared next to each route and enforced by the
/// router before the handler runs.
enum class Access {
  public_access,  ///< anyone
  staff,          ///< a staff bearer token (door and operators; see adapters/web/bearer_tokens.hpp)
  deploy,         ///< a deploy bearer token (revalidation from a deploy pipeline)
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
};

class Router {
 public:
  void add(Route route) { routes_.push_back(std::move(route)); }
  const std::vector<Route>& routes() const { return routes_; }

  /// The matching route's response; 404 or 405 problem+json otherwise, and
  /// 401 problem+json (WWW-Authenticate: Bearer) when the route's access
  /// rule refuses the request.
  Response dispatch(const Request& req) const;

  /// True when the route matching `req` is marked blocking.
  bool is_blocking(const Request& req) const;

  /// Decides `access` (staff, deploy); without a check such routes always answer 401.
  void set_access_check(Access access, std::function<bool(const Request&)> check) {
    checks_[access] = std::move(check);
  }

 private:
  const Route* find(const Request& req, PathParams* params, std::string* allowed, bool* path_known) const;

  std::vector<Route> routes_;
  std::map<Access, std::function<bool(const Request&)>> checks_;
};

}  // namespace marquee
