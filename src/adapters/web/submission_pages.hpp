#pragma once
// Host submissions, public and mobile-first: a form to propose a new event or
// a change to an existing one (by key), and the private status link showing
// pending / approved / rejected with the reason. Spam defences: a honeypot
// field, a per-address rate limit kept in the store, and a double-submit CSRF
// cookie.
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/submissions.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

class SubmissionPages {
 public:
  SubmissionPages(SiteRef site, SubmissionService& submissions, EventReader& events, bool secure_cookies);

  /// GET  /submit                 the form (?event=KEY proposes a change to that event)
  /// POST /submit                 → 303 to the status link; 422 with the errors; 429 with Retry-After
  /// GET  /submissions/{token}    the status page (never cached, no referrer)
  void add_routes(Router& router);

 private:
  struct FormState;
  Response form_page(const FormState& state, int status);
  Response submit(const Request& req);
  Response status(const Request& req, const std::string& token);

  SiteRef site_;
  SubmissionService& submissions_;
  EventReader& events_;
  bool secure_;
};

}  // namespace marquee
