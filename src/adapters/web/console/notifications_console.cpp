#include "adapters/web/console/notifications_console.hpp"

#include "core/reminders.hpp"

#include "app/outbox_release.hpp"
#include "core/redaction.hpp"

#include <algorithm>

#include "core/time_zone.hpp"
#include "adapters/render/change_text.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr int kRows = 200;
const char* const kStates[] = {"pending", "failed", "sent", "skipped"};

std::optional<std::int64_t> parse_id(const std::string& s) {
  auto v = parse_int(s);
  return v && *v > 0 ? v : std::nullopt;
}

}  // namespace

NotificationsConsole::NotificationsConsole(SiteRef site, OutboxStore& outbox, OutboxMoves& moves, Publisher& publisher,
                                           Reminders& reminders, const Clock& clock, Preview preview,
                                           std::function<void()> wake_delivery)
    : site_(std::move(site)), outbox_(outbox), moves_(moves), publisher_(publisher), reminders_(reminders), clock_(clock),
      preview_(std::move(preview)),
      wake_(std::move(wake_delivery)) {}

void NotificationsConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/notifications", Capability::view, [this](const Request& r, const PathParams&) { return overview(r); });
  route("POST", "/admin/notifications/settings", Capability::operate,
        [this](const Request& r, const PathParams&) { return settings(r); });
  route("POST", "/admin/notifications/send-now", Capability::operate,
        [this](const Request& r, const PathParams&) { return send_now(r); });
  route("GET", "/admin/notifications/{id}", Capability::attendees,
        [this](const Request& r, const PathParams& p) { return preview(r, p.at("id")); });
  route("POST", "/admin/notifications/{id}/retry", Capability::operate,
        [this](const Request& r, const PathParams& p) { return retry(r, p.at("id")); });
}

Response NotificationsConsole::overview(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  const UnixSeconds now = clock_.now();
  const OutboxCounts c = outbox_.outbox_counts(now);
  d.set("pending", std::to_string(c.pending));
  d.set("due", std::to_string(c.due));
  d.set("sent", std::to_string(c.sent));
  d.set("failed", std::to_string(c.failed));
  d.set("has_pending", c.pending > 0);
  d.set("skipped", std::to_string(c.skipped));
  std::string state = req.param("state");
  if (std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates)) state = "";
  TemplateData filters{list{}};
  for (const char* s : {"", "pending", "failed", "sent", "skipped"}) {
    TemplateData f{object{}};
    set_text(f, "state", std::string(s));
    f.set("label", std::string(*s ? s : "all"));
    f.set("current", state == s);
    filters.push_back(f);
  }
  d.set("filters", filters);
  TemplateData rows{list{}};
  const auto recent = outbox_.recent_outbox(state, kRows);
  d.set("has_rows", !recent.empty());
  set_text(d, "state_label", state);
  for (const auto& m : recent) {
    TemplateData r{object{}};
    r.set("id", std::to_string(m.id));
    r.set("state", m.state);
    r.set("kind", m.kind);
    r.set("event_key", m.event_key);
    r.set("attempts", std::to_string(m.attempts));
    r.set("created", format_utc(m.created_at));
    set_text(r, "sent_at", m.sent_at ? format_utc(*m.sent_at) : "");
    set_text(r, "due", m.state == "pending" ? (m.due_at <= now ? "now" : format_utc(m.due_at)) : "");
    // The server's answer may name the recipient: only for the attendees capability.
    set_text(r, "error", user.can(Capability::attendees) ? m.last_error : redact_email_addresses(m.last_error));
    r.set("is_failed", m.state == "failed");
    rows.push_back(r);
  }
  d.set("rows", rows);
  d.set("can_preview", static_cast<bool>(preview_) && user.can(Capability::attendees));
  d.set("delivery_on", static_cast<bool>(preview_));
  const NotifySettings s = publisher_.notify_settings();
  TemplateData fields{list{}};
  for (const auto& f : notifiable_fields()) {
    TemplateData fd{object{}};
    fd.set("name", f);
    fd.set("label", field_label(f));
    fd.set("checked", std::find(s.fields.begin(), s.fields.end(), f) != s.fields.end());
    fields.push_back(fd);
  }
  d.set("fields", fields);
  d.set("quiet_seconds", std::to_string(s.quiet_seconds));
  d.set("max_delay_seconds", std::to_string(s.max_delay_seconds));
  d.set("reminders", format_reminder_offsets(reminders_.offsets()));
  return console_page(site_, user, 200, "Notifications", "notifications", "admin_notifications", d, req.param("notice"));
}

Response NotificationsConsole::preview(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  auto id = parse_id(id_text);
  if (!id) return console_error(site_, user, 404, "No such message", "There is no outbox row " + id_text + ".", "/admin/notifications");
  if (!preview_)
    return console_error(site_, user, 409, "Previews need mail settings",
                         "This server runs without --smtp-url and --mail-from, so it cannot build messages.", "/admin/notifications");
  std::string why;
  auto rendered = preview_(*id, &why);
  TemplateData d = console_data(user);
  d.set("id", std::to_string(*id));
  if (auto row = outbox_.find_outbox(*id)) {
    d.set("to", row->email.empty() ? std::string(row->alert ? "(the alert ended)" : "(erased)")
                : row->name.empty()  ? row->email
                                     : row->name + " <" + row->email + ">");
    d.set("state", row->message.state);
    d.set("kind", row->message.kind);
  }
  set_text(d, "why", rendered ? "" : why);
  if (rendered) {
    // A preview shows what the message says, never a working personal link.
    d.set("subject", rendered->subject);
    d.set("text", redact_personal_links(rendered->text));
    set_text(d, "calendar", redact_personal_links(rendered->calendar));
    set_text(d, "method", rendered->calendar_method);
  }
  return console_page(site_, user, 200, "Message " + id_text, "notifications", "admin_notification", d);
}

Response NotificationsConsole::retry(const Request& req, const std::string& id_text) {
  const ConsoleUser user = console_user(req);
  auto id = parse_id(id_text);
  if (!id || !moves_.retry(*id, req.actor))
    return console_error(site_, user, 409, "Not retried", "Outbox row " + id_text + " is not a failed message.", "/admin/notifications");
  if (wake_) wake_();
  return see_other("/admin/notifications?state=pending&notice=retried");
}

Response NotificationsConsole::send_now(const Request& req) {
  moves_.release_now(req.actor);
  if (wake_) wake_();
  return see_other("/admin/notifications?state=pending&notice=sent-now");
}

Response NotificationsConsole::settings(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  NotifySettings s;
  for (const auto& f : notifiable_fields())
    if (form.count("field_" + f)) s.fields.push_back(f);
  auto quiet = parse_int(form["quiet_seconds"]), max_delay = parse_int(form["max_delay_seconds"]);
  if (!quiet || *quiet < 0 || !max_delay || *max_delay < 0)
    return console_error(site_, user, 422, "Settings not saved", "The quiet period and the longest delay are whole seconds, 0 or more.",
                         "/admin/notifications");
  s.quiet_seconds = *quiet;
  s.max_delay_seconds = *max_delay;
  // A form without the field (an older page, a script) leaves the reminders as they are.
  const auto reminders = form.find("reminders");
  std::string error;
  if (reminders != form.end() && !parse_reminder_offsets(reminders->second, &error))
    return console_error(site_, user, 422, "Settings not saved", "Reminders: " + error + ".", "/admin/notifications");
  publisher_.set_notify_settings(s, req.actor);
  if (reminders != form.end()) reminders_.set_offsets(reminders->second, req.actor);
  return see_other("/admin/notifications?notice=saved");
}

}  // namespace marquee
