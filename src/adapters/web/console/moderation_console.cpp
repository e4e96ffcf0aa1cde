#include "adapters/web/console/moderation_console.hpp"


#include "core/time_zone.hpp"
#include "adapters/render/change_text.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/event_edit.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

std::int64_t to_id(const std::string& s) { return parse_int(s).value_or(0); }

}  // namespace

ModerationConsole::ModerationConsole(SiteRef site, SubmissionService& submissions, SubmissionStore& queue,
                                     EventReader& events)
    : site_(std::move(site)), submissions_(submissions), queue_(queue), events_(events) {}

void ModerationConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, Capability::content});
  };
  route("GET", "/admin/submissions", [this](const Request& r, const PathParams&) { return queue(r); });
  route("GET", "/admin/submissions/{id}",
        [this](const Request& r, const PathParams& p) { return show(r, p.at("id"), nullptr, {}, "", 200); });
  route("POST", "/admin/submissions/{id}/approve",
        [this](const Request& r, const PathParams& p) { return approve(r, p.at("id")); });
  route("POST", "/admin/submissions/{id}/reject",
        [this](const Request& r, const PathParams& p) { return reject(r, p.at("id")); });
}

Response ModerationConsole::queue(const Request& req) {
  const ConsoleUser user = console_user(req);
  const auto state = parse_submission_state(req.param("state")).value_or(SubmissionState::pending);
  TemplateData d = console_data(user);
  TemplateData tabs{list{}};
  for (auto s : {SubmissionState::pending, SubmissionState::approved, SubmissionState::rejected}) {
    TemplateData t{object{}};
    t.set("state", std::string(to_string(s)));
    t.set("count", std::to_string(queue_.count_submissions(s)));
    t.set("current", s == state);
    tabs.push_back(t);
  }
  d.set("tabs", tabs);
  TemplateData rows{list{}};
  for (const auto& s : queue_.list_submissions(state, 500)) {
    const auto fields = SubmissionService::proposed_fields(s);
    TemplateData r{object{}};
    r.set("id", std::to_string(s.id));
    auto title = fields.find("title");
    r.set("title", title != fields.end() ? title->second : s.target_key);
    set_text(r, "target", s.target_key);
    r.set("host", s.host_name);
    r.set("at", format_utc(s.created_at));
    set_text(r, "reason", s.reason);
    set_text(r, "event_key", s.event_key);
    rows.push_back(r);
  }
  d.set("rows", rows);
  d.set("state", std::string(to_string(state)));
  return console_page(site_, user, 200, "Submissions", "submissions", "admin_submissions", d, req.param("notice"));
}

Response ModerationConsole::show(const Request& req, const std::string& id_text,
                                 const std::map<std::string, std::string>* typed, const std::vector<RowIssue>& errors,
                                 const std::string& message, int status) {
  const ConsoleUser user = console_user(req);
  auto s = queue_.find_submission(to_id(id_text));
  if (!s) return console_error(site_, user, 404, "No such submission", "There is no submission " + id_text + ".", "/admin/submissions");
  std::vector<RowIssue> proposal_errors;
  Event proposed = submissions_.proposed_event(*s, typed ? *typed : std::map<std::string, std::string>{}, &proposal_errors);
  std::optional<Event> current = s->target_key.empty() ? std::nullopt : events_.find_event(s->target_key);
  const auto host = SubmissionService::proposed_fields(*s);
  TemplateData d = console_data(user);
  d.set("id", std::to_string(s->id));
  d.set("state", std::string(to_string(s->state)));
  d.set("pending", s->state == SubmissionState::pending);
  d.set("is_update", !s->target_key.empty());
  d.set("target", s->target_key);
  d.set("host_name", s->host_name);
  d.set("host_email", s->host_email);
  set_text(d, "note", s->note);
  set_text(d, "reason", s->reason);
  set_text(d, "decided_by", s->decided_by);
  set_text(d, "event_key", s->event_key);
  d.set("at", format_utc(s->created_at));
  d.set("seen_version", std::to_string(current ? current->version : 0));
  set_text(d, "message", message);
  TemplateData fields{list{}};
  const auto& shown_errors = errors.empty() ? proposal_errors : errors;
  for (const auto& f : SubmissionService::host_fields()) {
    TemplateData fd{object{}};
    fd.set("name", f);
    fd.set("label", field_label(f));
    std::string value = field_text(proposed, f);
    if (typed)
      if (auto it = typed->find(f); it != typed->end()) value = it->second;
    fd.set("value", value);
    fd.set("textarea", f == "description");
    fd.set("proposed", host.count(f) > 0);
    set_text(fd, "current", current && field_text(*current, f) != field_text(proposed, f) ? field_text(*current, f) : "");
    std::string err;
    for (const auto& i : shown_errors)
      if (i.field == f) err += (err.empty() ? "" : "; ") + i.message;
    set_text(fd, "error", err);
    set_text(fd, "warning", [&] {
      std::string w;
      for (const auto& x : proposed.warnings)
        if (x.field == f) w += (w.empty() ? "" : "; ") + x.message;
      return w;
    }());
    fields.push_back(fd);
  }
  d.set("fields", fields);
  std::string other;
  for (const auto& i : shown_errors)
    if (std::find(SubmissionService::host_fields().begin(), SubmissionService::host_fields().end(), i.field) ==
        SubmissionService::host_fields().end())
      other += (other.empty() ? "" : "; ") + (i.field.empty() ? "" : field_label(i.field) + ": ") + i.message;
  set_text(d, "other_errors", other);
  return console_page(site_, user, status, "Submission " + id_text, "submissions", "admin_submission", d);
}

Response ModerationConsole::approve(const Request& req, const std::string& id) {
  auto form = parse_form(req.body);
  std::map<std::string, std::string> edits;
  for (const auto& f : SubmissionService::host_fields())
    if (auto it = form.find(f); it != form.end()) edits[f] = it->second;
  std::int64_t seen = to_id(form["seen_version"]);
  DecisionOutcome out = submissions_.approve(to_id(id), edits, seen, req.actor);
  switch (out.result) {
    case DecisionOutcome::Result::approved: return see_other("/admin/submissions?notice=approved");
    case DecisionOutcome::Result::not_pending: return see_other("/admin/submissions?notice=decided");
    case DecisionOutcome::Result::not_found: return show(req, id, nullptr, {}, "", 404);
    case DecisionOutcome::Result::conflict:
      return show(req, id, &edits, {},
                  "The event changed since you opened this submission (now version " +
                      std::to_string(out.current.version) + "). Check the current values shown, then approve again.",
                  409);
    case DecisionOutcome::Result::invalid:
    case DecisionOutcome::Result::rejected: break;
  }
  return show(req, id, &edits, out.errors, "Not approved: correct the fields marked below.", 422);
}

Response ModerationConsole::reject(const Request& req, const std::string& id) {
  auto form = parse_form(req.body);
  DecisionOutcome out = submissions_.reject(to_id(id), form["reason"], req.actor);
  switch (out.result) {
    case DecisionOutcome::Result::rejected: return see_other("/admin/submissions?notice=rejected");
    case DecisionOutcome::Result::not_pending: return see_other("/admin/submissions?notice=decided");
    case DecisionOutcome::Result::not_found: return show(req, id, nullptr, {}, "", 404);
    default: break;
  }
  return show(req, id, nullptr, {}, "Not rejected: give the host a reason.", 422);
}

}  // namespace marquee
