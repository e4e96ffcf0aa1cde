#pragma once
// The console's moderation queue: host submissions by state; each one shows
// the proposal against the current event, can be edited then approved into
// the working state, or rejected with a reason the host sees.
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/submissions.hpp"
#include "ports/event_reader.hpp"
#include "ports/submission_store.hpp"

namespace marquee {

class ModerationConsole {
 public:
  ModerationConsole(SiteRef site, SubmissionService& submissions, SubmissionStore& queue, EventReader& events);

  /// GET  /admin/submissions                  content  ?state=pending (default) | approved | rejected
  /// GET  /admin/submissions/{id}             content  the proposal, editable
  /// POST /admin/submissions/{id}/approve     content  the (edited) fields, seen_version
  /// POST /admin/submissions/{id}/reject      content  reason
  void add_routes(Router& router);

 private:
  Response queue(const Request& req);
  Response show(const Request& req, const std::string& id, const std::map<std::string, std::string>* typed,
                const std::vector<RowIssue>& errors, const std::string& message, int status);
  Response approve(const Request& req, const std::string& id);
  Response reject(const Request& req, const std::string& id);

  SiteRef site_;
  SubmissionService& submissions_;
  SubmissionStore& queue_;
  EventReader& events_;
};

}  // namespace marquee
