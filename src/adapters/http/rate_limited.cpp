#include "adapters/http/rate_limited.hpp"

#include <string>

#include "adapters/http/problem.hpp"

namespace marquee {

std::optional<Response> rate_limited(AddressLimit& limiter, const Request& req, UnixSeconds now) {
  const int wait = limiter.acquire(req.remote_address, now);
  if (wait <= 0) return std::nullopt;
  Response r = problem(429, "/problems/too-many-requests", "Too Many Requests",
                       "Too many registrations from your address; try again in " + std::to_string(wait) + " seconds.",
                       req.path);
  r.headers.emplace_back("Retry-After", std::to_string(wait));
  return r;
}

}  // namespace marquee
