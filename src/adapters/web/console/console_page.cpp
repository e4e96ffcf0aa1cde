#include "adapters/web/console/console_page.hpp"

#include "core/time_zone.hpp"

#include <map>

#include "adapters/http/security_headers.hpp"
#include "adapters/web/html_response.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

const std::string& console_policy() {
  static const std::string policy = content_security_policy("data:");
  return policy;
}

const std::map<std::string, std::string>& notices() {
  static const std::map<std::string, std::string> n = {
      {"saved", "Saved."},
      {"created", "Event created in the working state; publish to make it public."},
      {"bulk", "Bulk change applied; see the rows below."},
      {"published", "Published: the new snapshot is live."},
      {"unchanged", "Nothing to publish: the working state equals the live snapshot."},
      {"rolled-back", "Rolled back: the chosen snapshot is live again."},
      {"backup", "Backup taken."},
      {"restored", "Backup restored into the store."},
      {"imported", "Import committed."},
      {"discarded", "Import discarded; nothing was written."},
      {"approved", "Submission approved into the working state; publish to make it public."},
      {"rejected", "Submission rejected; the host sees the reason on their status link."},
      {"decided", "That submission was decided already by someone else."},
      {"user-added", "User added."},
      {"user-changed", "User changed; their sessions were ended."},
      {"checked-in", "Checked in."},
      {"offer-made", "Place offered: the attendee is e-mailed a link to accept or decline it."},
      {"retried", "The message is due again; the delivery worker sends it shortly."},
      {"restored-event", "Event restored into the working state from the audit log; publish to make it public again."},
      {"demo-removed", "The demo programme was removed from the working state; publish to take it off the public site."},
      {"settings-saved", "Settings saved; every page, feed and e-mail uses them from now on."},
      {"sent-now", "Every pending message is due now; the delivery worker sends them shortly."},
      {"placement-moved", "Placement updated; every instance shows the change within a second."},
      {"placement-hidden", "Placement updated, but it does not show now: its row says why."},
      {"placement-created", "Placement added as a draft: make a payment link or mark it paid, then approve it."},
      {"partner-saved", "Partner saved."},
      {"link-revoked", "Report link revoked: it answers 404 from now on."},
      {"list-created", "Check-in list created: door devices can choose it now."},
      {"list-saved", "Check-in list saved; door devices use the change on their next scan."},
      {"message-sent", "Message sent: one e-mail per recipient is in the outbox (see Notifications for delivery)."},
      {"message-scheduled", "Message scheduled: it goes out at the time set, unless you cancel it before."},
      {"message-cancelled", "Scheduled message cancelled: nothing was sent."},
      {"webhook-deleted", "Webhook deleted with its deliveries: nothing more is sent to that address."},
      {"webhook-replayed", "The delivery is due again: the sender posts it within seconds."},
  };
  return n;
}

struct NavItem {
  const char* section;
  const char* href;
  const char* label;
  Capability capability;
};

const NavItem kNav[] = {
    {"dashboard", "/admin", "Dashboard", Capability::signed_in},
    {"events", "/admin/events", "Events", Capability::view},
    {"insights", "/admin/insights", "Insights", Capability::view},
    {"placements", "/admin/placements", "Placements", Capability::view},
    {"import", "/admin/import", "Import", Capability::content},
    {"submissions", "/admin/submissions", "Submissions", Capability::content},
    {"publishing", "/admin/publishing", "Publishing", Capability::view},
    {"notifications", "/admin/notifications", "Notifications", Capability::view},
    {"attendees", "/admin/attendees", "Attendees", Capability::attendees},
    {"messages", "/admin/messages", "Messages", Capability::attendees},
    {"checkin-lists", "/admin/checkin-lists", "Check-in lists", Capability::view},
    {"check-in", "/admin/check-in", "Check-in", Capability::check_in},
    {"door", "/door", "Door scanner", Capability::check_in},
    {"webhooks", "/admin/webhooks", "Webhooks", Capability::operate},
    {"users", "/admin/users", "Users", Capability::users},
    {"settings", "/admin/settings", "Settings", Capability::settings},
    {"audit", "/admin/audit", "Audit log", Capability::view},
};

}  // namespace

bool ConsoleUser::can(Capability c, bool write) const { return role_can(role, c, write); }

ConsoleUser console_user(const Request& req) {
  ConsoleUser u;
  u.email = req.actor;
  u.role = parse_role(req.actor_role).value_or(Role::viewer);
  u.csrf_token = req.csrf_token;
  return u;
}

TemplateData console_data(const ConsoleUser& user) {
  TemplateData d{object{}};
  d.set("csrf_token", user.csrf_token);
  d.set("email", user.email);
  d.set("role", std::string(to_string(user.role)));
  d.set("can_view", user.can(Capability::view));
  d.set("can_content", user.can(Capability::content, true));
  d.set("can_operate", user.can(Capability::operate, true));
  d.set("can_attendees", user.can(Capability::attendees));
  d.set("can_erase", user.can(Capability::attendees, true));
  d.set("can_check_in", user.can(Capability::check_in, true));
  d.set("can_users", user.can(Capability::users, true));
  d.set("can_download_backups", user.can(Capability::backups));
  return d;
}

bool is_htmx(const Request& req) { return req.header("hx-request") == "true"; }

Response console_fragment(int status, std::string html) {
  Response r = private_html(status, std::move(html));
  r.headers.emplace_back("Content-Security-Policy", console_policy());
  r.headers.emplace_back("Vary", "HX-Request");
  return r;
}

Response console_page(const SiteInfo& site, const ConsoleUser& user, int status, const std::string& title,
                      const std::string& section, const std::string& name, const TemplateData& data,
                      const std::string& notice) {
  TemplateData frame = console_data(user);
  frame.set("page_title", title + " – " + site.name + " console");
  frame.set("site_name", site.name);
  frame.set("title", title);
  TemplateData nav{list{}};
  for (const auto& item : kNav) {
    if (!user.can(item.capability)) continue;
    TemplateData n{object{}};
    n.set("href", item.href);
    n.set("label", item.label);
    n.set("current", section == item.section);
    nav.push_back(n);
  }
  frame.set("nav", nav);
  auto it = notices().find(notice);
  set_text(frame, "notice", it == notices().end() ? "" : it->second);
  frame.set("content", render_template(name, data));
  Response r = private_html(status, render_template("admin_layout", frame));
  r.headers.emplace_back("Content-Security-Policy", console_policy());
  r.headers.emplace_back("Vary", "HX-Request");
  return r;
}

Response console_error(const SiteInfo& site, const ConsoleUser& user, int status, const std::string& title,
                       const std::string& detail, const std::string& back_href) {
  TemplateData d{object{}};
  d.set("title", title);
  d.set("detail", detail);
  d.set("back", back_href);
  return console_page(site, user, status, title, "", "admin_error", d);
}

std::string console_local_time(UnixSeconds t, const std::string& zone) {
  try {
    const LocalTime l = to_local(t, zone);
    return l.date + " " + l.time;
  } catch (const std::exception&) {
    return format_utc(t);
  }
}

}  // namespace marquee
