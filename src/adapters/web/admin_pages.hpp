#pragma once
// The console's sign-in, sign-out and dashboard pages (server-rendered).
#include "adapters/web/access_policy.hpp"
#include "adapters/web/pages.hpp"
#include "app/backups.hpp"
#include "ports/event_reader.hpp"
#include "ports/submission_store.hpp"
#include "app/programme_cache.hpp"
#include "app/publisher.hpp"

namespace marquee {

class AdminPages {
 public:
  /// `secure_cookies`: add the Secure attribute (off only for plain-HTTP local use).
  /// `events`, `submissions`: read for the dashboard's counts; `backups`: its
  /// last backup (nullptr = backups are off).
  AdminPages(SiteRef site, Accounts& accounts, EventReader& events, SubmissionStore& submissions, ProgrammeCache& cache,
             Publisher& publisher, bool secure_cookies, const Backups* backups = nullptr);

  /// GET/POST /admin/login (public; POST rate-limited per address and account
  /// in the store), POST /admin/logout and /admin/logout-all, GET /admin (console).
  void add_routes(Router& router);

 private:
  Response login_form(const Request& req, const std::string& message, const std::string& email, int status);
  Response login(const Request& req);
  Response logout(const Request& req, bool everywhere);
  Response dashboard(const Request& req);

  SiteRef site_;
  Accounts& accounts_;
  EventReader& events_;
  SubmissionStore& submissions_;
  ProgrammeCache& cache_;
  Publisher& publisher_;
  bool secure_;
  const Backups* backups_;
};

}  // namespace marquee
