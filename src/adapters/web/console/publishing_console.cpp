#include "adapters/web/console/publishing_console.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/time_zone.hpp"
#include "adapters/render/change_text.hpp"
#include "adapters/web/console/console_page.hpp"
#include "core/text.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/backups.hpp"
#include "app/event_edit.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr std::size_t kShownChanges = 500;

std::optional<std::int64_t> parse_number(const std::string& s) {
  auto v = parse_int(s);
  return v && *v > 0 ? v : std::nullopt;
}

// The changes with each changed field's old and new value.
// The changes grouped by kind (changed, added, removed), each event once with
// its changed fields by their labels: what a reviewer reads before publishing.
TemplateData changes_data(const std::vector<EventChange>& changes, const std::vector<Event>& before,
                          const std::vector<Event>& after) {
  std::map<std::string, const Event*> old_by_key, new_by_key;
  for (const auto& e : before) old_by_key[e.key] = &e;
  for (const auto& e : after) new_by_key[e.key] = &e;
  TemplateData groups{list{}};
  std::size_t shown = 0;
  for (const auto& [kind, heading] : {std::pair{ChangeKind::changed, "Changed"}, std::pair{ChangeKind::added, "Added"},
                                      std::pair{ChangeKind::removed, "Removed"}}) {
    TemplateData items{list{}};
    std::size_t count = 0;
    for (const auto& c : changes) {
      if (c.kind != kind) continue;
      ++count;
      if (++shown > kShownChanges) continue;
      const Event* o = old_by_key.count(c.event_key) ? old_by_key[c.event_key] : nullptr;
      const Event* n = new_by_key.count(c.event_key) ? new_by_key[c.event_key] : nullptr;
      TemplateData item{object{}};
      item.set("key", c.event_key);
      item.set("kind", std::string(to_string(c.kind)));
      item.set("title", n ? n->title : o ? o->title : c.event_key);
      TemplateData fields{list{}};
      for (const auto& f : c.fields) {
        TemplateData fd{object{}};
        fd.set("field", field_label(f));
        set_text(fd, "before", o ? field_text(*o, f) : "");
        set_text(fd, "after", n ? field_text(*n, f) : "");
        fields.push_back(fd);
      }
      item.set("fields", fields);
      items.push_back(item);
    }
    if (count == 0) continue;
    TemplateData g{object{}};
    g.set("kind", std::string(to_string(kind)));
    g.set("heading", std::string(heading) + " (" + std::to_string(count) + ")");
    g.set("changes", items);
    groups.push_back(g);
  }
  return groups;
}

TemplateData snapshot_data(const SnapshotInfo& s, std::optional<std::int64_t> live) {
  TemplateData d{object{}};
  d.set("number", std::to_string(s.number));
  d.set("at", format_utc(s.created_at));
  d.set("author", s.author);
  set_text(d, "note", s.note);
  d.set("kind", s.kind);
  set_text(d, "based_on", s.based_on ? std::to_string(*s.based_on) : "");
  d.set("events", std::to_string(s.event_count));
  d.set("live", live && *live == s.number);
  return d;
}

}  // namespace

PublishingConsole::PublishingConsole(SiteRef site, EventReader& events, SnapshotStore& snapshots, Publisher& publisher, const Clock& clock,
                                     Backups* backups, std::function<void()> on_restored)
    : site_(std::move(site)),
      events_(events),
      snapshots_(snapshots),
      publisher_(publisher),
      clock_(clock),
      backups_(backups),
      on_restored_(std::move(on_restored)) {}

void PublishingConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/publishing", Capability::view, [this](const Request& r, const PathParams&) { return overview(r); });
  route("POST", "/admin/publish", Capability::operate, [this](const Request& r, const PathParams&) { return publish(r); });
  route("GET", "/admin/snapshots/{number}", Capability::view,
        [this](const Request& r, const PathParams& p) { return snapshot(r, p.at("number")); });
  route("GET", "/admin/rollback/{number}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return rollback_confirm(r, p.at("number")); });
  route("POST", "/admin/rollback/{number}", Capability::operate,
        [this](const Request& r, const PathParams& p) { return rollback(r, p.at("number")); });
  route("POST", "/admin/backups", Capability::operate, [this](const Request& r, const PathParams&) { return take(r); });
  route("GET", "/admin/backups/{name}", Capability::backups,
        [this](const Request& r, const PathParams& p) { return download(r, p.at("name")); });
  route("GET", "/admin/backups/{name}/restore", Capability::operate,
        [this](const Request& r, const PathParams& p) { return restore_confirm(r, p.at("name"), "", 200); });
  route("POST", "/admin/backups/{name}/restore", Capability::operate,
        [this](const Request& r, const PathParams& p) { return restore(r, p.at("name")); });
}

Response PublishingConsole::overview(const Request& req) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  const auto live = snapshots_.live_snapshot_number();
  const auto changes = publisher_.pending_changes();
  std::vector<Event> live_events, working;
  if (live) live_events = publisher_.snapshot_events(*live);
  for (auto& e : events_.list_events())
    if (e.status != EventStatus::draft) working.push_back(std::move(e));
  d.set("change_groups", changes_data(changes, live_events, working));
  d.set("change_count", std::to_string(changes.size()));
  // Who publishing now would write to, per event (the outbox rows the publish writes).
  std::map<std::string, std::string> titles;
  for (const auto& e : working) titles[e.key] = e.title;
  for (const auto& e : live_events) titles.emplace(e.key, e.title);
  TemplateData notices{list{}};
  const NoticesPreview preview = publisher_.preview_notices(changes);
  for (const auto& p : preview.events) {
    TemplateData n{object{}};
    n.set("key", p.event_key);
    n.set("title", titles.count(p.event_key) ? titles[p.event_key] : p.event_key);
    std::vector<std::string> labels;
    for (const auto& f : p.fields) labels.push_back(field_label(f));
    n.set("what", p.kind == ChangeKind::removed ? std::string("leaves the programme") : join(labels, ", "));
    n.set("attendees", count_of(p.attendees, "attendee", "attendees"));
    set_text(n, "followers", p.followers ? count_of(p.followers, "agenda alert", "agenda alerts") : "");
    notices.push_back(n);
  }
  d.set("notices", notices);
  d.set("notice_total", count_of(preview.messages(), "message", "messages"));
  const std::int64_t alerts = preview.alert_messages;
  set_text(d, "alert_note", alerts == 0   ? ""
                            : alerts == 1 ? "Of these, 1 message goes to the agenda alert that follows these events: one "
                                            "message per alert, however many of the events it follows change."
                                          : "Of these, " + std::to_string(alerts) + " messages go to the " + std::to_string(alerts) +
                                                " agenda alerts that follow these events: one message per alert, however "
                                                "many of the events it follows change.");
  d.set("has_notices", preview.messages() > 0);
  d.set("has_changes", !changes.empty());
  set_text(d, "more_changes", changes.size() > kShownChanges
                                  ? std::to_string(changes.size() - kShownChanges) + " more changes are not shown."
                                  : "");
  set_text(d, "live", live ? std::to_string(*live) : "");
  TemplateData snaps{list{}};
  for (const auto& s : snapshots_.list_snapshots()) snaps.push_back(snapshot_data(s, live));
  d.set("snapshots", snaps);
  d.set("backups_on", backups_ != nullptr);
  d.set("backups_plain", backups_ && !backups_->encrypted());
  TemplateData backups{list{}};
  if (backups_)
    for (const auto& b : backups_->list()) {
      TemplateData item{object{}};
      item.set("name", std::filesystem::path(b.path).filename().string());
      item.set("at", format_utc(b.created_at));
      item.set("size", std::to_string(b.size / 1024) + " KiB");
      backups.push_back(item);
    }
  d.set("backups", backups);
  return console_page(site_, user, 200, "Publishing", "publishing", "admin_publishing", d, req.param("notice"));
}

Response PublishingConsole::publish(const Request& req) {
  auto form = parse_form(req.body);
  PublishResult r = publisher_.publish(req.actor, form["note"]);
  if (r.unchanged) return see_other("/admin/publishing?notice=unchanged");
  return see_other("/admin/publishing?notice=published");
}

Response PublishingConsole::snapshot(const Request& req, const std::string& number) {
  const ConsoleUser user = console_user(req);
  auto n = parse_number(number);
  auto s = n ? snapshots_.snapshot(*n) : std::nullopt;
  if (!s) return console_error(site_, user, 404, "No such snapshot", "There is no snapshot " + number + ".", "/admin/publishing");
  TemplateData d = console_data(user);
  d.set("snapshot", snapshot_data(s->info, snapshots_.live_snapshot_number()));
  const auto changes = snapshots_.snapshot_changes(*n);
  std::vector<Event> before;
  if (*n > 1) {
    try {
      before = publisher_.snapshot_events(*n - 1);
    } catch (const std::exception&) {
    }
  }
  d.set("change_groups", changes_data(changes, before, publisher_.snapshot_events(*n)));
  d.set("change_count", std::to_string(changes.size()));
  d.set("confirm", false);
  return console_page(site_, user, 200, "Snapshot " + number, "publishing", "admin_snapshot", d);
}

Response PublishingConsole::rollback_confirm(const Request& req, const std::string& number) {
  const ConsoleUser user = console_user(req);
  auto n = parse_number(number);
  auto s = n ? snapshots_.snapshot(*n) : std::nullopt;
  auto live = snapshots_.live_snapshot_number();
  if (!s || !live) return console_error(site_, user, 404, "No such snapshot", "There is no snapshot " + number + ".", "/admin/publishing");
  TemplateData d = console_data(user);
  d.set("snapshot", snapshot_data(s->info, live));
  const auto changes = publisher_.diff(*live, *n);
  d.set("change_groups", changes_data(changes, publisher_.snapshot_events(*live), publisher_.snapshot_events(*n)));
  d.set("change_count", std::to_string(changes.size()));
  d.set("confirm", true);
  d.set("live_number", std::to_string(*live));
  return console_page(site_, user, 200, "Roll back to snapshot " + number, "publishing", "admin_snapshot", d);
}

Response PublishingConsole::rollback(const Request& req, const std::string& number) {
  const ConsoleUser user = console_user(req);
  auto n = parse_number(number);
  if (!n) return console_error(site_, user, 404, "No such snapshot", "There is no snapshot " + number + ".", "/admin/publishing");
  auto form = parse_form(req.body);
  try {
    publisher_.rollback(*n, req.actor, form["note"]);  // audited with the snapshot
    return see_other("/admin/publishing?notice=rolled-back");
  } catch (const PublishError& e) {
    return console_error(site_, user, 404, "No such snapshot", e.what(), "/admin/publishing");
  }
}

Response PublishingConsole::take(const Request& req) {
  const ConsoleUser user = console_user(req);
  if (!backups_)
    return console_error(site_, user, 409, "Backups are off",
                         "This server was started without --backup-dir, so it cannot take backups.", "/admin/publishing");
  backups_->take(req.actor);
  return see_other("/admin/publishing?notice=backup");
}

std::string PublishingConsole::backup_path(const std::string& name) const {
  // Only a file the backup listing names: never a path from the request.
  if (!backups_) return "";
  const auto b = backups_->find(name);
  return b ? b->path : "";
}

Response PublishingConsole::download(const Request& req, const std::string& name) {
  const ConsoleUser user = console_user(req);
  const auto found = backups_ ? backups_->find_for_download(name, req.actor) : std::nullopt;
  if (!found) return console_error(site_, user, 404, "No such backup", "There is no backup named " + name + ".", "/admin/publishing");
  std::ifstream in(found->path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Response r = private_html(200, bytes.str());
  r.content_type = "application/gzip";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

Response PublishingConsole::restore_confirm(const Request& req, const std::string& name, const std::string& error,
                                            int status) {
  const ConsoleUser user = console_user(req);
  const std::string path = backup_path(name);
  if (path.empty()) return console_error(site_, user, 404, "No such backup", "There is no backup named " + name + ".", "/admin/publishing");
  TemplateData d = console_data(user);
  d.set("name", name);
  set_text(d, "error", error);
  return console_page(site_, user, status, "Restore " + name, "publishing", "admin_restore", d);
}

Response PublishingConsole::restore(const Request& req, const std::string& name) {
  const std::string path = backup_path(name);
  auto form = parse_form(req.body);
  if (path.empty() || form["confirm"] != "RESTORE")
    return restore_confirm(req, name, "Type RESTORE in capitals to confirm.", 422);
  try {
    backups_->restore(path, req.actor);
  } catch (const BackupError& e) {
    return restore_confirm(req, name, std::string("The backup cannot be restored: ") + e.what() + ". Nothing was changed.", 422);
  }
  if (on_restored_) on_restored_();
  return see_other("/admin/publishing?notice=restored");
}

}  // namespace marquee
