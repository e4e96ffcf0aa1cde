#pragma once
// Hiding personal data in text shown to people who may not see it (issue 13,
// item 4): outbox rows and message previews in the console.
#include <string>
#include <string_view>

namespace marquee {

/// Replaces every e-mail address (a run of non-space characters other than
/// <>()"',; that contains '@' with text on both sides) by "[address hidden]".
/// Example: "550 5.1.1 <bad@example.org>: unavailable" →
/// "550 5.1.1 <[address hidden]>: unavailable".
std::string redact_email_addresses(std::string_view text);

/// Replaces the token of every personal link ("/r/<token>", and the agenda
/// alerts' "/alerts/confirm/<token>", "/alerts/unsubscribe/<token>",
/// "/agenda#t=<token>"; token characters [A-Za-z0-9_-]) by "[personal link
/// hidden]", so a preview never carries a working link to someone's
/// registration or agenda.
std::string redact_personal_links(std::string_view text);

/// A request path fit for a log line: the secret segment of a capability URL
/// (a personal registration "/r/…", "/api/v1/registrations/…", an agenda
/// "/agenda/…" and "/api/v1/agendas/…", a partner report "/partners/…", a
/// submission status "/submissions/…") becomes "[token]", so logs never hold
/// a working link. "/agenda/AbC…/calendar.ics" → "/agenda/[token]/calendar.ics";
/// other paths are returned as they are.
std::string loggable_path(std::string_view path);

}  // namespace marquee
