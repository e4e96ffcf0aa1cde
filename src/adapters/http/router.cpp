#include "adapters/http/router.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/problem.hpp"
#include "app/log_throttle.hpp"
#include "core/text.hpp"
#include "ports/store.hpp"
#include "core/redaction.hpp"

namespace marquee {
namespace {

// Store failures: the cause goes to the log (one line per 5 s with a count,
// so a storm cannot flood it), the client gets what it can act on.
std::string store_failure_detail(const StoreError& e, const Request& req, const std::string& nothing_changed) {
  static LogThrottle throttle(std::chrono::seconds(5));
  if (auto n = throttle.tick())
    spdlog::error("request {}: {} {}: store failure ({} such since the last line): {}", req.id, req.method, loggable_path(req.path), *n,
                  e.what());
  const std::string ref = req.id.empty() ? "" : " (request " + req.id + ")";
  switch (e.cause()) {
    case StoreError::Cause::disk_full:
      return "The event store's disk is full;" + nothing_changed + " The operators have been told" + ref +
             ". Please retry later.";
    case StoreError::Cause::unreachable:
      return "The event store is not reachable right now;" + nothing_changed + " Please retry" + ref + ".";
    case StoreError::Cause::failed:
      break;
  }
  return "The event store failed to answer;" + nothing_changed + " Please retry" + ref + ".";
}

}  // namespace

void Router::add(Route route) {
  std::vector<Segment> segments;
  for (auto& part : split_list(route.pattern, '/')) {
    const auto close = part.find('}');
    if (part.size() > 2 && part.front() == '{' && close != std::string::npos)
      segments.push_back({part.substr(1, close - 1), part.substr(close + 1), true});
    else
      segments.push_back({std::move(part), "", false});
  }
  patterns_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

// The request's path is split once (segments trimmed, empty ones dropped, as
// split_list does) and compared with each route's pre-split pattern.
const Route* Router::find(const Request& req, PathParams* params, std::string* allowed, bool* path_known) const {
  if (!req.path.empty() && req.path.back() == '/' && req.path != "/") return nullptr;  // no route ends with '/'
  const auto path = split_list(req.path, '/');
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = patterns_[i];
    if (pattern.size() != path.size()) continue;
    bool matched = true;
    for (std::size_t k = 0; k < pattern.size() && matched; ++k) {
      const auto& seg = pattern[k];
      // "{key}" takes the whole segment; "{key}.ics" a non-empty name before the suffix.
      matched = seg.parameter ? path[k].size() > seg.suffix.size() && path[k].ends_with(seg.suffix) : seg.text == path[k];
    }
    if (!matched) continue;
    const Route& r = routes_[i];
    *path_known = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      for (std::size_t k = 0; k < pattern.size(); ++k)
        if (pattern[k].parameter) (*params)[pattern[k].text] = path[k].substr(0, path[k].size() - pattern[k].suffix.size());
      return &r;
    }
    *allowed += (allowed->empty() ? "" : ", ") + r.method;
  }
  return nullptr;
}

Lane Router::lane(const Request& req) const {
  PathParams params;
  std::string allowed;
  bool known = false;
  const Route* r = find(req, &params, &allowed, &known);
  if (!r) return Lane::io;
  if (r->bulk || (r->bulk_when && r->bulk_when(req))) return Lane::bulk;
  return r->blocking || (r->blocking_when && r->blocking_when(req)) ? Lane::store : Lane::io;
}

std::size_t Router::largest_body(const Request& head) const {
  PathParams params;
  std::string allowed;
  bool known = false;
  const Route* r = find(head, &params, &allowed, &known);
  return r ? r->body_limit : 0;
}

std::size_t Router::admitted_body(const Request& head) const {
  PathParams params;
  std::string allowed;
  bool known = false;
  const Route* r = find(head, &params, &allowed, &known);
  if (!r || r->body_limit == 0) return 0;
  if (r->access == Access::public_access) return r->body_limit;
  if (!policy_) return 0;
  return policy_(head, *r, false).allowed ? r->body_limit : 0;
}

const char* to_string(Access a) {
  switch (a) {
    case Access::public_access: return "public";
    case Access::staff: return "staff";
    case Access::deploy: return "deploy";
    case Access::console: return "console";
    case Access::cron: return "cron";
  }
  return "public";
}

Response Router::dispatch(const Request& req, std::size_t* route_index) const {
  bool path_known = false;
  std::string allowed;
  PathParams params;
  const Route* r = find(req, &params, &allowed, &path_known);
  if (route_index) *route_index = r ? static_cast<std::size_t>(r - routes_.data()) : routes_.size();
  if (r) {
    Request authorized;
    const Request* effective = &req;
    if (r->access != Access::public_access) {
      AccessDecision d;
      try {
        if (policy_) d = policy_(req, *r, true);
      } catch (const StoreError& e) {
        d = AccessDecision{false, 503, "", store_failure_detail(e, req, "")};
      }
      if (!d.allowed) {
        if (r->access == Access::console && d.status == 401) {
          Response resp;
          resp.status = 303;
          resp.headers.emplace_back("Location", "/admin/login");
          resp.headers.emplace_back("Cache-Control", "no-store");
          resp.body = std::make_shared<const std::string>();
          return resp;
        }
        if (r->access == Access::console && d.status == 403 && forbidden_page_) return forbidden_page_(req, d.detail);
        Response resp = problem(d.status, d.status == 403 ? "/problems/forbidden" : d.status == 503 ? "/problems/store-unavailable" : "/problems/unauthorized",
                                d.status == 403 ? "Forbidden" : d.status == 503 ? "Service Unavailable" : "Unauthorized",
                                d.detail.empty() ? std::string("This route needs a ") + to_string(r->access) +
                                                       " token ('Authorization: Bearer <token>') or a console session."
                                                 : d.detail,
                                req.path);
        if (d.status == 401) resp.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"marquee\"");
        if (d.status == 503) resp.headers.emplace_back("Retry-After", "5");
        return resp;
      }
      authorized = req;
      authorized.actor = d.actor;
      authorized.actor_role = d.role;
      authorized.csrf_token = d.csrf;
      effective = &authorized;
    }
    try {
      return r->handler(*effective, params);
    } catch (const StoreError& e) {
      // The store is unreachable or failed: nothing was written; the client may retry.
      Response resp = problem(503, "/problems/store-unavailable", "Service Unavailable",
                              store_failure_detail(e, req, " nothing was changed."), req.path);
      resp.headers.emplace_back("Retry-After", "5");
      return resp;
    }
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
