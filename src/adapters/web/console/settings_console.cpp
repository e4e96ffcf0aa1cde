#include "adapters/web/console/settings_console.hpp"

#include "core/time_zone.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/http/multipart_form.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

// Large enough for the biggest logo and the text fields around it.
constexpr std::size_t kSettingsBodyBytes = kMaxLogoBytes + 64 * 1024;

std::string problem_for(const std::vector<std::pair<std::string, std::string>>& problems, const std::string& field) {
  for (const auto& [f, message] : problems)
    if (f == field) return message;
  return "";
}

// One form field: its value, whether a flag fixes it, and its error.
TemplateData field(const std::string& value, const std::string& flag_value, const char* flag,
                   const std::vector<std::pair<std::string, std::string>>& problems, const std::string& name) {
  TemplateData f{object{}};
  f.set("value", value);
  f.set("fixed", !flag_value.empty());
  f.set("flag", std::string(flag));
  f.set("flag_value", flag_value);
  set_text(f, "error", problem_for(problems, name));
  return f;
}

}  // namespace

SettingsConsole::SettingsConsole(SiteRef site, FestivalSettingsService& settings, LiveSite& live)
    : site_(std::move(site)), settings_(settings), live_(live) {}

void SettingsConsole::add_routes(Router& router) {
  router.add(Route{"GET", "/admin/settings", Access::console,
                   [this](const Request& r, const PathParams&) { return form(r, *settings_.stored(), {}, 200); }, true,
                   Capability::settings});
  Route post{"POST", "/admin/settings", Access::console, [this](const Request& r, const PathParams&) { return save(r); },
             true, Capability::settings};
  post.body_limit = kSettingsBodyBytes;
  router.add(std::move(post));
  router.add(Route{"GET", "/logo", Access::public_access,
                   [this](const Request& r, const PathParams&) { return live_.logo(r); }});
  router.add(Route{"GET", "/favicon.ico", Access::public_access,
                   [this](const Request& r, const PathParams&) { return live_.favicon(r); }});
}

Response SettingsConsole::form(const Request& req, const FestivalSettings& shown,
                               const std::vector<std::pair<std::string, std::string>>& problems, int status) {
  const ConsoleUser user = console_user(req);
  const FestivalSettings& flags = settings_.flags();
  TemplateData d = console_data(user);
  d.set("name", field(shown.name, flags.name, "--site-name", problems, "name"));
  d.set("public_url", field(shown.public_url, flags.public_url, "--public-url", problems, "public_url"));
  d.set("contact_email", field(shown.contact_email, flags.contact_email, "--contact-email", problems, "contact_email"));
  d.set("time_zone", field(shown.time_zone, flags.time_zone, "--time-zone", problems, "time_zone"));
  TemplateData zones{list{}};
  for (const auto& z : known_zone_names()) {
    TemplateData o{object{}};
    o.set("value", z);
    o.set("selected", z == shown.time_zone);
    zones.push_back(o);
  }
  d.set("zones", zones);
  d.set("no_zone", shown.time_zone.empty());
  const auto stored = settings_.stored();
  d.set("has_logo", stored->logo.has_value());
  set_text(d, "logo_href", live_.current().logo_href);
  set_text(d, "logo_error", problem_for(problems, "logo"));
  set_text(d, "error", problems.empty() ? "" : "Not saved: correct the fields marked below.");
  return console_page(site_, user, status, "Settings", "settings", "admin_settings", d, req.param("notice"));
}

Response SettingsConsole::save(const Request& req) {
  auto parts = parse_multipart_request(req);
  FestivalSettings next = *settings_.stored();
  if (!parts) return form(req, next, {{"form", "Send the form as multipart/form-data."}}, 400);
  auto text = [&](const char* name) {
    auto it = parts->find(name);
    return it == parts->end() ? std::string() : it->second.value;
  };
  next.name = text("name");
  next.time_zone = text("time_zone");
  next.public_url = text("public_url");
  next.contact_email = text("contact_email");
  if (!text("remove_logo").empty()) next.logo.reset();
  if (auto it = parts->find("logo"); it != parts->end() && !it->second.value.empty())
    next.logo = FestivalLogo{"", it->second.value};
  try {
    settings_.update(next, req.actor);
  } catch (const FestivalSettingsRejected& e) {
    if (next.logo && !sniff_logo_type(next.logo->bytes)) next.logo = settings_.stored()->logo;  // keep the good one shown
    return form(req, next, e.problems(), 422);
  }
  return see_other("/admin/settings?notice=settings-saved");
}

}  // namespace marquee
