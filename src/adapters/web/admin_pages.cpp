#include "adapters/web/admin_pages.hpp"

#include "core/text.hpp"

#include <sodium.h>

#include "core/time_zone.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/html_response.hpp"
#include "app/backups.hpp"
#include "adapters/http/form.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr const char* kLoginCsrfCookie = "marquee_login_csrf";
constexpr const char* kDeviceCookie = "marquee_device";  // OWASP device cookie (login throttling)




}  // namespace

AdminPages::AdminPages(SiteRef site, Accounts& accounts, EventReader& events, SubmissionStore& submissions,
                       ProgrammeCache& cache, Publisher& publisher, bool secure, const Backups* backups)
    : site_(std::move(site)),
      accounts_(accounts),
      events_(events),
      submissions_(submissions),
      cache_(cache),
      publisher_(publisher),
      secure_(secure),
      backups_(backups) {}

void AdminPages::add_routes(Router& router) {
  router.add(Route{"GET", "/admin/login", Access::public_access,
                   [this](const Request& r, const PathParams&) { return login_form(r, "", "", 200); }});
  router.add(Route{"POST", "/admin/login", Access::public_access,
                   [this](const Request& r, const PathParams&) { return login(r); }, true});
  router.add(Route{"POST", "/admin/logout", Access::console,
                   [this](const Request& r, const PathParams&) { return logout(r, false); }, true, Capability::signed_in});
  router.add(Route{"POST", "/admin/logout-all", Access::console,
                   [this](const Request& r, const PathParams&) { return logout(r, true); }, true, Capability::signed_in});
  router.add(Route{"GET", "/admin", Access::console,
                   [this](const Request& r, const PathParams&) { return dashboard(r); }, true, Capability::signed_in});
}

Response AdminPages::login_form(const Request&, const std::string& message, const std::string& email, int status) {
  // Double-submit token: the same random value in a strict cookie and the form.
  const std::string token = random_token();
  TemplateData d{object{}};
  d.set("csrf_token", token);
  set_text(d, "message", message);
  d.set("email", email);
  Response r = private_html(status, layout_page(site_, "Sign in", render_template("admin_login", d)));
  r.headers.emplace_back("Set-Cookie", std::string(kLoginCsrfCookie) + "=" + token +
                                           "; Path=/admin; HttpOnly; SameSite=Strict" + (secure_ ? "; Secure" : ""));
  return r;
}

Response AdminPages::login(const Request& req) {
  auto form = parse_form(req.body);
  if (!same_token(form["csrf_token"], req.cookie(kLoginCsrfCookie)))
    return login_form(req, "The form expired or was not sent from this site. Please try again.", form["email"], 403);
  auto result = accounts_.login(form["email"], form["password"], req.remote_address, req.cookie(kSessionCookie),
                                req.cookie(kDeviceCookie));
  switch (result.result) {
    case Accounts::Login::Result::rate_limited: {
      Response r = login_form(req, "Too many sign-in attempts. Try again in " + std::to_string(result.retry_after) +
                                       " seconds.", form["email"], 429);
      r.headers.emplace_back("Retry-After", std::to_string(result.retry_after));
      return r;
    }
    case Accounts::Login::Result::bad_credentials:
      return login_form(req, "The e-mail or the password is wrong.", form["email"], 401);
    case Accounts::Login::Result::ok:
      break;
  }
  // Door staff come to scan tickets: they land on the door scanner (its list chooser).
  Response r = see_other(result.user.role == Role::door ? "/door" : "/admin");
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + result.session_id +
                                           "; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200" + (secure_ ? "; Secure" : ""));
  r.headers.emplace_back("Set-Cookie", std::string(kLoginCsrfCookie) + "=; Path=/admin; Max-Age=0");
  // OWASP device cookie: this browser is known for this account from now on,
  // so failed attempts from elsewhere do not lock it out (a year).
  r.headers.emplace_back("Set-Cookie", std::string(kDeviceCookie) + "=" + result.device_cookie +
                                           "; Path=/admin/login; HttpOnly; SameSite=Strict; Max-Age=31536000" +
                                           (secure_ ? "; Secure" : ""));
  return r;
}

Response AdminPages::logout(const Request& req, bool everywhere) {
  const std::string id = req.cookie(kSessionCookie);
  if (everywhere) {
    if (auto who = accounts_.authenticate(id)) {
      accounts_.audit(who->user.email, "logout_everywhere", "");
      accounts_.logout_everywhere(who->user.id);
    }
  }
  accounts_.logout(id);
  Response r = see_other("/admin/login");
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
                                           (secure_ ? "; Secure" : ""));
  return r;
}

Response AdminPages::dashboard(const Request& req) {
  const ConsoleUser user = console_user(req);
  const auto serving = cache_.serving();
  const auto programme = cache_.current();
  TemplateData d = console_data(user);
  d.set("source", serving.source.empty() ? std::string("nothing") : serving.source);
  set_text(d, "source_detail", serving.detail);
  d.set("snapshot", std::to_string(serving.snapshot));
  d.set("public_events", std::to_string(programme ? programme->entries().size() : 0));
  d.set("door", user.role == Role::door);
  bool reachable = true;
  try {
    events_.generation();
  } catch (const std::exception&) {
    reachable = false;
  }
  d.set("store_ok", reachable);
  if (backups_) {
    auto backups = backups_->list();
    set_text(d, "last_backup", backups.empty() ? "none yet" : format_utc(backups.front().created_at));
  } else {
    set_text(d, "last_backup", "backups are off (no --backup-dir)");
  }
  if (user.can(Capability::view) && reachable) {
    std::string pending = "unknown";
    std::int64_t events = 0, with_warnings = 0, drafts = 0, demo = 0;
    try {
      pending = std::to_string(publisher_.pending_changes().size());
      for (const auto& e : events_.list_events()) {
        ++events;
        with_warnings += !e.warnings.empty();
        drafts += e.status == EventStatus::draft;
        demo += e.source_file == "programme.csv" && e.key.starts_with("hl27-");
      }
      d.set("submissions", std::to_string(submissions_.count_submissions(SubmissionState::pending)));
    } catch (const std::exception&) {
    }
    d.set("pending", pending);
    d.set("events", std::to_string(events));
    d.set("with_warnings", std::to_string(with_warnings));
    d.set("drafts", std::to_string(drafts));
    d.set("demo", demo > 0);
    d.set("demo_count", count_of(demo, "event", "events"));
    TemplateData audit{list{}};
    for (const auto& e : accounts_.accounts().list_audit(15)) {
      TemplateData item{object{}};
      item.set("at", format_utc(e.at));
      item.set("actor", e.actor);
      item.set("action", e.action);
      item.set("target", e.target);
      audit.push_back(item);
    }
    d.set("audit", audit);
  }
  d.set("show_counts", user.can(Capability::view) && reachable);
  Response r = console_page(site_, user, 200, "Dashboard", "dashboard", "admin_dashboard", d, req.param("notice"));
  r.headers.emplace_back("X-CSRF-Token", user.csrf_token);
  return r;
}

}  // namespace marquee
