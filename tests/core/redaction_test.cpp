// Personal data hidden from roles without the attendees capability (issue 13, item 4).
#include <gtest/gtest.h>

#include "core/redaction.hpp"

namespace marquee {
namespace {

TEST(Redaction, EmailAddressesInServerAnswers) {
  EXPECT_EQ(redact_email_addresses("550 5.1.1 <bad@example.org>: mailbox unavailable"),
            "550 5.1.1 <[address hidden]>: mailbox unavailable");
  EXPECT_EQ(redact_email_addresses("to a.b+c@mail.example.org, and x@y"), "to [address hidden], and [address hidden]");
  EXPECT_EQ(redact_email_addresses("timed out after 60 s; @ alone stays"), "timed out after 60 s; @ alone stays");
}

TEST(Redaction, PersonalLinksLoseTheirToken) {
  EXPECT_EQ(redact_personal_links("Your registration: https://fest.example.org/r/AbC_12-x9\nSee you"),
            "Your registration: https://fest.example.org/r/[personal link hidden]\nSee you");
  EXPECT_EQ(redact_personal_links("URL:http://h/r/tok/calendar.ics"), "URL:http://h/r/[personal link hidden]/calendar.ics");
  EXPECT_EQ(redact_personal_links("no link /r/ here"), "no link /r/ here");
  EXPECT_EQ(redact_personal_links("Confirm: https://h/alerts/confirm/Tok_1\nStop: https://h/alerts/unsubscribe/Tok-2 "
                                  "Agenda: https://h/agenda#t=Tok3."),
            "Confirm: https://h/alerts/confirm/[personal link hidden]\nStop: https://h/alerts/unsubscribe/[personal link hidden] "
            "Agenda: https://h/agenda#t=[personal link hidden].");
}

TEST(Redaction, LoggedPathsLoseTheirCapabilityTokens) {
  EXPECT_EQ(loggable_path("/agenda/AbC_12-x9/calendar.ics"), "/agenda/[token]/calendar.ics");
  EXPECT_EQ(loggable_path("/api/v1/agendas/AbC_12-x9"), "/api/v1/agendas/[token]");
  EXPECT_EQ(loggable_path("/r/tok/cancel"), "/r/[token]/cancel");
  EXPECT_EQ(loggable_path("/api/v1/registrations/tok?x=1"), "/api/v1/registrations/[token]?x=1");
  EXPECT_EQ(loggable_path("/partners/tok/report.csv"), "/partners/[token]/report.csv");
  EXPECT_EQ(loggable_path("/submissions/tok"), "/submissions/[token]");
  EXPECT_EQ(loggable_path("/alerts/confirm/AbC_12-x9"), "/alerts/confirm/[token]");
  EXPECT_EQ(loggable_path("/alerts/unsubscribe/AbC_12-x9"), "/alerts/unsubscribe/[token]");
  EXPECT_EQ(loggable_path("/agenda"), "/agenda");
  EXPECT_EQ(loggable_path("/agenda/"), "/agenda/");
  EXPECT_EQ(loggable_path("/events/hl27-001"), "/events/hl27-001");
  EXPECT_EQ(loggable_path("/api/v1/agendas"), "/api/v1/agendas");
}

}  // namespace
}  // namespace marquee
