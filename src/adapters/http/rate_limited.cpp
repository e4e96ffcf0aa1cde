#include "adapters/http/rate_limited.hpp"

#include <string>

#include "adapters/http/problem.hpp"

namespace marquee {

std::optional<Response> rate_limited(AddressLimit& limiter, const Request& req, UnixSeconds now) {
  return rate_limited(limiter, req.remote_address, "registrations from your address", req, now);
}

std::optional<Response> rate_limited(AddressLimit& limiter, const std::string& key, const std::string& what,
                                     const Request& req, UnixSeconds now) {
  const int wait = limiter.acquire(key, now);
  if (wait <= 0) return std::nullopt;
  Response r = problem(429, "/problems/too-many-requests", "Too Many Requests",
                       "Too many " + what + "; try again in " + std::to_string(wait) + " seconds.", req.path);
  r.headers.emplace_back("Retry-After", std::to_string(wait));
  return r;
}

}  // namespace marquee
