#pragma once
// The console's users (owners only: add, change role, disable, set a new
// password) and the audit log (every role that may view; CSV export).
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/accounts.hpp"

namespace marquee {

class UsersConsole {
 public:
  UsersConsole(SiteRef site, Accounts& accounts);

  /// GET  /admin/users          users  the list and the add form
  /// POST /admin/users          users  email, role, password
  /// POST /admin/users/{id}     users  role, disabled (checkbox), password (optional)
  /// GET  /admin/audit          view   the newest 300 entries (CSV: /api/v1/admin/audit.csv)
  void add_routes(Router& router);

 private:
  Response list(const Request& req, const std::string& error, int status);
  Response add(const Request& req);
  Response change(const Request& req, const std::string& id);
  Response audit(const Request& req);

  SiteRef site_;
  Accounts& accounts_;
};

}  // namespace marquee
