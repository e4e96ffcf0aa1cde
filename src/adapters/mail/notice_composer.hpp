#pragma once
// The e-mail for a notice: Mustache templates (templates/mail_subject,
// mail_text, mail_html; alert_* for agenda alerts; replaceable from a folder), times spelled out in the
// event's own zone, the iCalendar entry attached (RFC 6047), MIME by GMime.
#include <functional>
#include <string>
#include <utility>

#include "adapters/render/templates.hpp"
#include "ports/notice_composer.hpp"

namespace marquee {

struct ComposerOptions {
  std::string site_name = "Marquee";  ///< signs the messages; the calendar organizer's name
  std::string from_name;              ///< From display name ("" = site_name)
  std::string from_address;           ///< From and envelope sender, e.g. "programme@example.org"
  TemplateOverrides templates;        ///< mail_subject / mail_text / mail_html replacements
  /// The festival's name and contact address now (settings page); when set,
  /// its name replaces site_name and its contact becomes the Reply-To.
  std::function<std::pair<std::string, std::string>()> identity;
};

class TemplateNoticeComposer final : public NoticeComposer {
 public:
  explicit TemplateNoticeComposer(ComposerOptions options);
  /// Subject from mail_subject (whitespace collapsed to one line), text from
  /// mail_text, HTML from mail_html; Message-ID "<dedup key>.<revision>@<sender
  /// domain>" so that a copy re-sent after a crash is recognisably the same.
  MailMessage compose(const Notice& n) override;
  RenderedNotice render(const Notice& n) override;

 private:
  std::string site_name() const;
  /// alert_confirm and agenda_alert: templates alert_subject, alert_text, alert_html.
  RenderedNotice render_alert(const Notice& n);
  ComposerOptions options_;
};

/// Reads <dir>/mail_subject.mustache, mail_text.mustache, mail_html.mustache
/// and the agenda alerts' alert_subject, alert_text, alert_html (each optional). Throws std::runtime_error for an unreadable file.
TemplateOverrides load_mail_templates(const std::string& dir);

}  // namespace marquee
