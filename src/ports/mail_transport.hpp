#pragma once
// The mail port: hand one finished RFC 5322 message to a mail server.
// Implementation: adapters/mail/smtp_transport (libcurl, SMTP with STARTTLS).
#include <string>
#include <vector>

namespace marquee {

struct MailMessage {
  std::string from;     ///< envelope sender (MAIL FROM), a bare address
  std::string to;       ///< envelope recipient (RCPT TO), a bare address
  std::string message;  ///< the whole message: headers, blank line, MIME body (CRLF line ends)
};

struct SendResult {
  bool accepted = false;   ///< the server answered 250 to the end of DATA
  int code = 0;            ///< the SMTP reply code of the failing step; 0 = connection-level failure
  std::string answer;      ///< the server's reply text, or the connection error
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  /// Sends one message over the transport's connection (opened or reused as
  /// needed). Never throws for delivery failures: they are in the result.
  virtual SendResult send(const MailMessage& m) = 0;
};

}  // namespace marquee
