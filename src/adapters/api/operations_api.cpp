#include "adapters/api/operations_api.hpp"

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/formats/csv_reader.hpp"
#include "core/time_zone.hpp"

namespace marquee {

void OperationsApi::add_routes(Router& router) {
  router.add(Route{"POST", "/api/v1/cron/{job}", Access::cron,
                   [this](const Request& r, const PathParams& p) { return cron(r, p.at("job")); }, true, Capability::operate});
  router.add(Route{"GET", "/api/v1/admin/audit", Access::staff,
                   [this](const Request& r, const PathParams&) { return audit(r, false); }, true, Capability::view});
  router.add(Route{"GET", "/api/v1/admin/audit.csv", Access::staff,
                   [this](const Request& r, const PathParams&) { return audit(r, true); }, true, Capability::view});
}

Response OperationsApi::cron(const Request& req, const std::string& job) {
  const JobResult r = jobs_.run(job, req.actor);
  if (r.status == JobStatus::no_backups)
    return problem(409, "/problems/no-backup-dir", "No backup folder",
                   "This server was started without --backup-dir, so it cannot take backups.", req.path);
  if (r.status == JobStatus::unknown_job)
    return problem(404, "/problems/unknown-job", "Unknown job", "Jobs: backup, retention, publish, reminders, offers, reconfirm, messages.", req.path);
  boost::json::object result{{"job", job}};
  if (r.backup) {
    result["path"] = r.backup->path;
    result["size_bytes"] = r.backup->size;
  }
  if (r.erased) result["erased"] = *r.erased;
  if (r.reminders) result["reminders"] = *r.reminders;
  if (r.offers_expired) result["offers_expired"] = *r.offers_expired;
  if (r.messages_sent) result["messages_sent"] = *r.messages_sent;
  if (r.reconfirm_asked) result["reconfirm_asked"] = *r.reconfirm_asked;
  if (r.reconfirm_released) result["reconfirm_released"] = *r.reconfirm_released;
  if (r.publish) {
    result["snapshot"] = r.publish->snapshot.number;
    result["unchanged"] = r.publish->unchanged;
  }
  return json_response(200, result);
}

Response OperationsApi::audit(const Request&, bool csv) {
  const auto entries = audit_log_.list_audit(csv ? 1000000 : 500);
  if (csv) {
    std::string out = csv_record({"id", "at", "actor", "action", "target", "before", "after"});
    for (const auto& e : entries)
      out += csv_record({std::to_string(e.id), format_utc(e.at), e.actor, e.action, e.target, e.before, e.after});
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::make_shared<const std::string>(std::move(out));
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
    return r;
  }
  boost::json::array items;
  for (const auto& e : entries)
    items.push_back({{"id", e.id}, {"at", format_utc(e.at)}, {"actor", e.actor}, {"action", e.action},
                     {"target", e.target}, {"before", e.before}, {"after", e.after}});
  return json_response(200, {{"entries", std::move(items)}});
}

}  // namespace marquee
