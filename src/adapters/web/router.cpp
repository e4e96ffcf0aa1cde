#include "adapters/web/router.hpp"

#include "adapters/api/problem.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

bool match(const std::string& pattern, const std::string& path, PathParams* params) {
  const auto p = split_list(pattern, '/');
  const auto s = split_list(path, '/');
  if (p.size() != s.size()) return false;
  if (!path.empty() && path.back() == '/' && path != "/") return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') (*params)[p[i].substr(1, p[i].size() - 2)] = s[i];
    else if (p[i] != s[i]) return false;
  }
  return true;
}

}  // namespace

Response Router::dispatch(const Request& req) const {
  bool path_known = false;
  std::string allowed;
  for (const auto& r : routes_) {
    PathParams params;
    if (!match(r.pattern, req.path, &params)) continue;
    path_known = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) return r.handler(req, params);
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (path_known) {
    Response resp = problem(405, "/problems/method-not-allowed", "Method Not Allowed",
                            req.method + " is not supported here; use " + allowed, req.path);
    resp.headers.emplace_back("Allow", allowed);
    return resp;
  }
  return problem(404, "/problems/not-found", "Not Found", "No resource at " + req.path, req.path);
}

}  // namespace marquee
