#pragma once
// Turns one notice into a finished e-mail (templates, MIME, the attached
// iCalendar entry). Implementation: adapters/mail/notice_composer.
#include <optional>
#include <string>

#include "core/notification.hpp"
#include "ports/mail_transport.hpp"

namespace marquee {

/// One starred event of an agenda alert and what changed since the visitor last heard.
struct FollowedChange {
  NoticeKind kind = NoticeKind::event_changed;  ///< event_changed, event_cancelled or event_removed
  Event event;                       ///< now (removed events: as last published)
  std::vector<FieldValues> changes;  ///< event_changed: what moved
  std::string event_url;             ///< the public event page ("" for removed events)
};

/// Everything one message says. Times are UTC seconds; the composer spells
/// them out in the event's own zone.
struct Notice {
  NoticeKind kind = NoticeKind::event_changed;
  std::string dedup_key;        ///< also the base of the Message-ID, so a resend is recognisable
  std::int64_t revision = 0;
  UnixSeconds date = 0;         ///< the Date header and DTSTAMP
  std::string name;             ///< attendee
  std::string email;
  std::string personal_url;     ///< the attendee's page (/r/{token}); "" when unknown
  std::string event_url;        ///< the public event page
  Event event;                  ///< the event now (for removed events: as last published)
  std::vector<FieldValues> changes;  ///< event_changed: what moved
  std::int64_t sequence = 0;    ///< iCalendar SEQUENCE of the event now
  bool attach_calendar = false; ///< attach the .ics (REQUEST, or CANCEL for cancelled/removed/cancelled registration)
  std::string ticket_code;      ///< reminder: the attendee's ticket code
  std::string lead;             ///< reminder: how long before the start, in words ("24 hours")
  std::optional<UnixSeconds> offer_expires_at;  ///< place_offered: when the offer expires (UTC seconds; shown in the event's zone)
  std::optional<UnixSeconds> reconfirm_deadline;  ///< reconfirm_request, reconfirm_released: when unanswered places are released
  // Agenda alerts (alert_confirm, agenda_alert):
  std::string confirm_url;      ///< alert_confirm: the page that confirms the address
  std::string unsubscribe_url;  ///< agenda_alert, reminder, attendee_message: the one-click unsubscribe (RFC 8058 List-Unsubscribe)
  std::string message_subject;  ///< attendee_message: the operator's subject (one line)
  std::string message_body;     ///< attendee_message: the operator's text (Markdown; HTML part rendered by render/markdown)
  std::string agenda_url;       ///< the visitor's agenda (its sync link), "" when unknown
  std::vector<FollowedChange> followed;  ///< agenda_alert: each starred event that changed
};

/// The words of a message, before MIME.
struct RenderedNotice {
  std::string subject, text, html;
  std::string calendar;         ///< the attached VCALENDAR ("" = none)
  std::string calendar_method;  ///< REQUEST or CANCEL
};

class NoticeComposer {
 public:
  virtual ~NoticeComposer() = default;
  /// Subject, text, HTML and calendar of `n` (what compose() wraps in MIME).
  virtual RenderedNotice render(const Notice& n) = 0;
  /// The message for `n`. Throws std::runtime_error when a template fails.
  virtual MailMessage compose(const Notice& n) = 0;
};

}  // namespace marquee
