#pragma once
// RFC 5322 / MIME (RFC 2045-2049) messages built with GMime: a text and an
// HTML alternative, optionally an iCalendar part (RFC 6047: text/calendar
// with the iTIP method), CRLF line ends as SMTP wants them.
#include <string>

namespace marquee {

struct MimeParts {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string reply_to;        ///< "" = none; else an address for replies (the festival's contact)
  std::string subject;         ///< UTF-8; encoded per RFC 2047 as needed
  std::string message_id;      ///< without angle brackets, e.g. "event_changed.12.3@example.org"
  long long date = 0;          ///< Date header, UTC seconds
  std::string text;            ///< text/plain; charset=utf-8
  std::string html;            ///< text/html; charset=utf-8
  std::string calendar;        ///< "" = none; else the VCALENDAR text
  std::string calendar_method; ///< "REQUEST" or "CANCEL" (the part's method parameter)
  /// "" = none; else an https/http URL answering a one-click unsubscribe
  /// POST: the message gets `List-Unsubscribe: <url>` (RFC 2369 §3.2) and
  /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058 §3.1).
  std::string list_unsubscribe;
};

/// multipart/mixed { multipart/alternative { text, html }, text/calendar
/// attachment "event.ics" } (without a calendar: just the alternative).
/// Headers: From, To, Reply-To (when set), Subject, Date, Message-ID, MIME-Version,
/// Auto-Submitted: auto-generated (RFC 3834), List-Unsubscribe and
/// List-Unsubscribe-Post when `list_unsubscribe` is set. Throws std::runtime_error.
std::string build_mime_message(const MimeParts& parts);

}  // namespace marquee
