#include "adapters/web/submission_pages.hpp"

#include <map>
#include <set>

#include "adapters/render/templates.hpp"
#include "adapters/web/access_policy.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/accounts.hpp"
#include "app/event_edit.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr const char* kCsrfCookie = "marquee_submit_csrf";
constexpr const char* kHoneypot = "website";

const char* label_of(const std::string& f) {
  static const std::map<std::string, const char*> labels = {
      {"title", "Title"}, {"description", "Description"}, {"starts_at", "Starts (local time, e.g. 2027-06-11 19:00)"},
      {"ends_at", "Ends (local time)"}, {"time_zone", "Time zone"}, {"venue", "Venue"}, {"address", "Address"},
      {"room", "Room or stage"}, {"category", "Category"}, {"tags", "Tags (comma-separated)"},
      {"organizer", "Organizer"}, {"url", "Link"}, {"image_url", "Image link"}, {"price", "Price"}};
  auto it = labels.find(f);
  return it == labels.end() ? "" : it->second;
}

}  // namespace

struct SubmissionPages::FormState {
  std::map<std::string, std::string> values;
  std::vector<RowIssue> errors;
  std::string message;
  std::string csrf;
};

SubmissionPages::SubmissionPages(SiteRef site, SubmissionService& submissions, EventReader& events, bool secure)
    : site_(std::move(site)), submissions_(submissions), events_(events), secure_(secure) {}

void SubmissionPages::add_routes(Router& router) {
  router.add(Route{"GET", "/submit", Access::public_access,
                   [this](const Request& r, const PathParams&) {
                     FormState s;
                     const std::string key = r.param("event");
                     if (!key.empty()) s.values["key"] = key;
                     return form_page(s, 200);
                   },
                   true});
  router.add(Route{"POST", "/submit", Access::public_access,
                   [this](const Request& r, const PathParams&) { return submit(r); }, true});
  router.add(Route{"GET", "/submissions/{token}", Access::public_access,
                   [this](const Request& r, const PathParams& p) { return status(r, p.at("token")); }, true});
}

Response SubmissionPages::form_page(const FormState& state, int status) {
  auto value = [&](const std::string& k) {
    auto it = state.values.find(k);
    return it == state.values.end() ? std::string() : it->second;
  };
  const std::string key = value("key");
  std::optional<Event> target;
  if (!key.empty()) target = events_.find_event(key);
  std::set<std::string> zones;
  const auto zone_counts = events_.time_zone_counts();
  for (const auto& [zone, count] : zone_counts) zones.insert(zone);
  // A new submission starts in the festival settings' zone, else the one most
  // of the programme uses (issue 14: the list's first zone was preselected).
  const std::string settings_zone = site_.get().time_zone;
  if (!settings_zone.empty()) zones.insert(settings_zone);
  if (zones.empty()) zones.insert("UTC");
  const std::string usual_zone = settings_zone.empty() ? most_common_zone(zone_counts) : settings_zone;
  TemplateData d{object{}};
  const std::string csrf = state.csrf.empty() ? random_token() : state.csrf;
  d.set("csrf_token", csrf);
  d.set("key", key);
  d.set("is_update", target.has_value());
  set_text(d, "target_title", target ? target->title : "");
  set_text(d, "message", state.message);
  d.set("host_name", value("host_name"));
  d.set("host_email", value("host_email"));
  d.set("note", value("note"));
  TemplateData errors{list{}};
  std::map<std::string, std::string> by_field;
  for (const auto& i : state.errors) {
    TemplateData e{object{}};
    e.set("message", (i.field.empty() ? "" : std::string(label_of(i.field)).empty() ? i.field + ": " : std::string(label_of(i.field)) + ": ") + i.message);
    e.set("anchor", i.field.empty() ? std::string("f-title") : "f-" + i.field);
    errors.push_back(e);
    by_field[i.field] += (by_field[i.field].empty() ? "" : "; ") + i.message;
  }
  d.set("errors", errors);
  d.set("has_errors", !state.errors.empty());
  set_text(d, "host_name_error", by_field["host_name"]);
  set_text(d, "host_email_error", by_field["host_email"]);
  set_text(d, "key_error", by_field["key"]);
  TemplateData fields{list{}};
  for (const auto& f : SubmissionService::host_fields()) {
    TemplateData fd{object{}};
    fd.set("name", f);
    fd.set("label", std::string(label_of(f)));
    // A change starts from the event's current values.
    std::string v = value(f);
    if (!state.values.count(f) && target) v = field_text(*target, f);
    if (f == "time_zone" && v.empty()) v = usual_zone;
    fd.set("value", v);
    fd.set("textarea", f == "description");
    fd.set("zone", f == "time_zone");
    fd.set("plain", f != "description" && f != "time_zone");
    fd.set("required", !target && (f == "title" || f == "starts_at"));
    TemplateData zone_options{list{}};
    for (const auto& z : zones) {
      TemplateData o{object{}};
      o.set("value", z);
      o.set("selected", v == z);
      zone_options.push_back(o);
    }
    fd.set("zones", zone_options);
    set_text(fd, "error", by_field[f]);
    fields.push_back(fd);
  }
  d.set("fields", fields);
  Response r = private_html(status, layout_page(site_, target ? "Suggest a change" : "Submit an event",
                                                render_template("submit", d)));
  r.headers.emplace_back("Set-Cookie", std::string(kCsrfCookie) + "=" + csrf + "; Path=/submit; HttpOnly; SameSite=Strict" +
                                           (secure_ ? "; Secure" : ""));
  return r;
}

Response SubmissionPages::submit(const Request& req) {
  auto form = parse_form(req.body);
  FormState state;
  state.values = form;
  if (!same_token(form["csrf_token"], req.cookie(kCsrfCookie))) {
    state.message = "The form expired or was not sent from this site. Please send it again.";
    return form_page(state, 403);
  }
  state.csrf = form["csrf_token"];
  if (!form[kHoneypot].empty()) {
    // Only robots fill the hidden field: refuse without storing anything.
    state.message = "Your submission could not be accepted.";
    return form_page(state, 422);
  }
  SubmissionForm sf;
  sf.target_key = form["key"];
  sf.host_name = form["host_name"];
  sf.host_email = form["host_email"];
  sf.note = form["note"];
  for (const auto& f : SubmissionService::host_fields())
    if (form.count(f)) sf.fields[f] = form[f];
  SubmitOutcome out = submissions_.submit(sf, req.remote_address);
  switch (out.result) {
    case SubmitOutcome::Result::accepted: return see_other("/submissions/" + out.token);
    case SubmitOutcome::Result::rate_limited: {
      state.message = "Too many submissions from your address. Please try again in " + std::to_string(out.retry_after / 60 + 1) + " minutes.";
      Response r = form_page(state, 429);
      r.headers.emplace_back("Retry-After", std::to_string(out.retry_after));
      return r;
    }
    case SubmitOutcome::Result::unknown_event:
      state.errors.push_back(RowIssue{0, "key", "no published event has this key", Severity::error, ""});
      return form_page(state, 422);
    case SubmitOutcome::Result::invalid: break;
  }
  state.errors = out.errors;
  return form_page(state, 422);
}

Response SubmissionPages::status(const Request&, const std::string& token) {
  auto s = submissions_.find_by_token(token);
  if (!s) return private_html(404, error_page_html(site_, 404, "Not found", "There is no submission behind this link."));
  const auto fields = SubmissionService::proposed_fields(*s);
  TemplateData d{object{}};
  d.set("state", std::string(to_string(s->state)));
  d.set("pending", s->state == SubmissionState::pending);
  d.set("approved", s->state == SubmissionState::approved);
  d.set("rejected", s->state == SubmissionState::rejected);
  set_text(d, "reason", s->reason);
  set_text(d, "event_key", s->event_key);
  set_text(d, "target", s->target_key);
  TemplateData proposed{list{}};
  for (const auto& f : SubmissionService::host_fields()) {
    auto it = fields.find(f);
    if (it == fields.end()) continue;
    TemplateData p{object{}};
    p.set("label", std::string(label_of(f)));
    p.set("value", it->second);
    proposed.push_back(p);
  }
  d.set("proposed", proposed);
  return private_html(200, layout_page(site_, "Your submission", render_template("submission_status", d)));
}

}  // namespace marquee
