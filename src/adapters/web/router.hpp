#pragma once
// A small router: method + path pattern ("/events/{key}") → handler.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/web/http_types.hpp"

namespace marquee {

/// Who may call a route. Declared next to each route; the server refuses
/// anything but `public_access` until authentication exists.
enum class Access { public_access };

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

struct Route {
  std::string method;   ///< "GET" (HEAD is answered by GET routes)
  std::string pattern;  ///< literal segments and {name} segments
  Access access = Access::public_access;
  Handler handler;
};

class Router {
 public:
  void add(Route route) { routes_.push_back(std::move(route)); }
  const std::vector<Route>& routes() const { return routes_; }

  /// The matching route's response; 404 or 405 problem+json otherwise.
  Response dispatch(const Request& req) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace marquee
