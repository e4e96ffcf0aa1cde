#include "adapters/mail/notice_composer.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/formats/ics_writer.hpp"
#include "core/time_zone.hpp"
#include "adapters/mail/mime_message.hpp"
#include "adapters/render/change_text.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/render/markdown.hpp"
#include "core/festival_settings.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::object;

std::string where_text(const Event& e) {
  std::vector<std::string> parts;
  for (const auto* p : {&e.venue, &e.room, &e.address})
    if (!p->empty()) parts.push_back(*p);
  return join(parts, ", ");
}

// What changed, as template rows: label, before, after (times spelled out in `zone`).
data change_rows(const std::vector<FieldValues>& changes, const std::string& zone) {
  data out{list{}};
  for (const auto& c : changes) {
    data row{object{}};
    row.set("label", field_label(c.field));
    set_text(row, "before", field_value_text(c.field, c.before, zone));
    set_text(row, "after", field_value_text(c.field, c.after, zone));
    out.push_back(row);
  }
  return out;
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "marquee.invalid" : address.substr(at + 1);
}

}  // namespace

TemplateNoticeComposer::TemplateNoticeComposer(ComposerOptions options) : options_(std::move(options)) {}

std::string TemplateNoticeComposer::site_name() const {
  if (options_.identity) {
    auto name = options_.identity().first;
    if (!name.empty()) return name;
  }
  return options_.site_name;
}

RenderedNotice TemplateNoticeComposer::render_alert(const Notice& n) {
  data d{object{}};
  d.set("site_name", site_name());
  const std::string named = site_name();
  set_text(d, "festival_name", named == kDefaultFestivalName ? std::string() : named);
  d.set(std::string(to_string(n.kind)), true);
  set_text(d, "confirm_url", n.confirm_url);
  set_text(d, "unsubscribe_url", n.unsubscribe_url);
  set_text(d, "agenda_url", n.agenda_url);
  data events{list{}};
  for (const auto& f : n.followed) {
    const Event& e = f.event;
    data row{object{}};
    row.set("title", e.title);
    row.set("when", when_text(e));
    set_text(row, "where", where_text(e));
    set_text(row, "event_url", f.event_url);
    row.set(std::string(to_string(f.kind)), true);
    row.set("changes", change_rows(f.changes, e.time_zone));
    events.push_back(row);
  }
  d.set("events", events);
  d.set("one", n.followed.size() == 1);
  d.set("count", std::to_string(n.followed.size()));
  if (!n.followed.empty()) {
    d.set("first_title", n.followed.front().event.title);
    d.set("first_when", when_text(n.followed.front().event));
    d.set("first_" + std::string(to_string(n.followed.front().kind)), true);
  }
  RenderedNotice out;
  out.subject = collapse_whitespace(render_template("alert_subject", d, options_.templates));
  out.text = render_template("alert_text", d, options_.templates);
  out.html = render_template("alert_html", d, options_.templates);
  return out;
}

RenderedNotice TemplateNoticeComposer::render(const Notice& n) {
  if (n.kind == NoticeKind::alert_confirm || n.kind == NoticeKind::agenda_alert) return render_alert(n);
  const Event& e = n.event;
  data d{object{}};
  d.set("site_name", site_name());
  // A festival with its own name (Settings or --site-name) signs the subject too.
  const std::string named = site_name();
  set_text(d, "festival_name", named == kDefaultFestivalName ? std::string() : named);
  d.set("name", n.name);
  d.set("title", e.title);
  d.set("when", when_text(e));
  d.set("time_zone", e.time_zone);
  set_text(d, "where", where_text(e));
  set_text(d, "event_url", n.event_url);
  set_text(d, "personal_url", n.personal_url);
  set_text(d, "ticket_code", n.ticket_code);
  set_text(d, "lead", n.lead);
  set_text(d, "deadline", n.offer_expires_at ? instant_text(*n.offer_expires_at, e.time_zone) : std::string());
  set_text(d, "reconfirm_deadline", n.reconfirm_deadline ? instant_text(*n.reconfirm_deadline, e.time_zone) : std::string());
  set_text(d, "unsubscribe_url", n.unsubscribe_url);
  if (n.kind == NoticeKind::attendee_message) {
    d.set("message_subject", n.message_subject);
    d.set("message_text", n.message_body);
    d.set("message_html", markdown_to_html(n.message_body));  // CommonMark, raw HTML left out (render/markdown)
  }
  d.set(std::string(to_string(n.kind)), true);
  d.set("changes", change_rows(n.changes, e.time_zone));
  d.set("has_changes", !n.changes.empty());

  RenderedNotice out;
  out.subject = collapse_whitespace(render_template("mail_subject", d, options_.templates));
  out.text = render_template("mail_text", d, options_.templates);
  out.html = render_template("mail_html", d, options_.templates);
  if (n.attach_calendar) {
    const bool cancel = n.kind == NoticeKind::event_cancelled || n.kind == NoticeKind::event_removed ||
                        n.kind == NoticeKind::registration_cancelled || n.kind == NoticeKind::transfer_sent ||
                        n.kind == NoticeKind::reconfirm_released;
    CalendarOptions opt;
    opt.method = cancel ? "CANCEL" : "REQUEST";
    opt.organizer_email = options_.from_address;
    opt.organizer_name = options_.from_name.empty() ? site_name() : options_.from_name;
    opt.attendee_email = n.email;
    opt.attendee_name = n.name;
    out.calendar = calendar_ics({CalendarEntry{&e, n.sequence, n.event_url}}, n.date, opt);
    out.calendar_method = opt.method;
  }
  return out;
}

MailMessage TemplateNoticeComposer::compose(const Notice& n) {
  RenderedNotice r = render(n);
  MimeParts p;
  p.from_name = options_.from_name.empty() ? site_name() : options_.from_name;
  if (options_.identity) p.reply_to = options_.identity().second;
  p.from_address = options_.from_address;
  p.to_name = n.name;
  p.to_address = n.email;
  p.subject = std::move(r.subject);
  p.text = std::move(r.text);
  p.html = std::move(r.html);
  std::string id = n.dedup_key;
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '.';
  p.message_id = id + "." + std::to_string(n.revision) + "@" + domain_of(options_.from_address);
  p.date = n.date;
  p.calendar = std::move(r.calendar);
  p.calendar_method = std::move(r.calendar_method);
  p.list_unsubscribe = n.unsubscribe_url;
  return MailMessage{options_.from_address, n.email, build_mime_message(p)};
}

TemplateOverrides load_mail_templates(const std::string& dir) {
  TemplateOverrides out;
  for (const char* name : {"mail_subject", "mail_text", "mail_html", "alert_subject", "alert_text", "alert_html"}) {
    const std::filesystem::path path = std::filesystem::path(dir) / (std::string(name) + ".mustache");
    if (!std::filesystem::exists(path)) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    out[name] = text.str();
  }
  return out;
}

}  // namespace marquee
