#include "adapters/web/console/users_console.hpp"


#include "core/time_zone.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/snapshot_codec.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

TemplateData role_options(Role selected) {
  TemplateData out{list{}};
  for (Role r : {Role::owner, Role::editor, Role::operations, Role::door, Role::viewer}) {
    TemplateData o{object{}};
    o.set("value", std::string(to_string(r)));
    o.set("selected", r == selected);
    out.push_back(o);
  }
  return out;
}

}  // namespace

UsersConsole::UsersConsole(SiteRef site, Accounts& accounts) : site_(std::move(site)), accounts_(accounts) {}

void UsersConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/users", Capability::users, [this](const Request& r, const PathParams&) { return list(r, "", 200); });
  route("POST", "/admin/users", Capability::users, [this](const Request& r, const PathParams&) { return add(r); });
  route("POST", "/admin/users/{id}", Capability::users,
        [this](const Request& r, const PathParams& p) { return change(r, p.at("id")); });
  route("GET", "/admin/audit", Capability::view, [this](const Request& r, const PathParams&) { return audit(r); });
}

Response UsersConsole::list(const Request& req, const std::string& error, int status) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  TemplateData rows{kainjow::mustache::list{}};
  for (const auto& u : accounts_.accounts().list_users()) {
    TemplateData r{object{}};
    r.set("id", std::to_string(u.id));
    r.set("email", u.email);
    r.set("roles", role_options(u.role));
    r.set("disabled", u.disabled);
    r.set("created", format_utc(u.created_at));
    rows.push_back(r);
  }
  d.set("users", rows);
  d.set("new_roles", role_options(Role::editor));
  set_text(d, "error", error);
  return console_page(site_, user, status, "Users", "users", "admin_users", d, req.param("notice"));
}

Response UsersConsole::add(const Request& req) {
  auto form = parse_form(req.body);
  auto role = parse_role(form["role"]);
  if (!role) return list(req, "Choose a role.", 422);
  try {
    accounts_.add_user(form["email"], form["password"], *role, req.actor);
  } catch (const std::invalid_argument& e) {
    return list(req, std::string("Not added: ") + e.what() + ".", 422);
  } catch (const StoreError&) {
    if (accounts_.accounts().find_user_by_email(form["email"]))
      return list(req, "Not added: a user with this e-mail exists already.", 409);
    throw;
  }
  return see_other("/admin/users?notice=user-added");
}

Response UsersConsole::change(const Request& req, const std::string& id_text) {
  auto form = parse_form(req.body);
  const std::int64_t id = parse_int(id_text).value_or(0);
  try {
    accounts_.change_user(id, parse_role(form["role"]), form.count("disabled") > 0, req.actor);
    if (!form["password"].empty()) accounts_.set_password(id, form["password"], req.actor);
  } catch (const std::invalid_argument& e) {
    return list(req, std::string("Not changed: ") + e.what() + ".", 422);
  }
  return see_other("/admin/users?notice=user-changed");
}

Response UsersConsole::audit(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  TemplateData rows{kainjow::mustache::list{}};
  for (const auto& e : accounts_.accounts().list_audit(300)) {
    TemplateData r{object{}};
    r.set("at", format_utc(e.at));
    r.set("actor", e.actor);
    r.set("action", e.action);
    r.set("target", e.target);
    r.set("id", std::to_string(e.id));
    r.set("restorable", e.action == "delete_event");
    std::string before = e.before;
    if (e.action == "delete_event") {
      try {  // the whole event as a snapshot line: show what it was
        const auto events = decode_snapshot(e.before);
        if (events.size() == 1) before = events[0].title + " (" + when_text(events[0]) + ")";
      } catch (const std::exception&) {
      }
    }
    set_text(r, "before", before);
    set_text(r, "after", e.after);
    rows.push_back(r);
  }
  d.set("entries", rows);
  return console_page(site_, user, 200, "Audit log", "audit", "admin_audit", d);
}

}  // namespace marquee
