#pragma once
// SMTP delivery over libcurl (RFC 5321; STARTTLS, RFC 3207, when the server
// offers it, or always with require_tls; AUTH when credentials are set).
// One connection per transport, kept open between messages.
#include <memory>
#include <string>

#include "ports/mail_transport.hpp"

namespace marquee {

struct SmtpOptions {
  /// "smtp://host:port" (STARTTLS when offered) or "smtps://host:port"
  /// (implicit TLS); an optional path names the EHLO domain.
  std::string url;
  std::string username;       ///< "" = no AUTH
  std::string password;
  std::string ca_file;        ///< PEM bundle to verify the server with; "" = the system's
  bool require_tls = false;   ///< refuse to send when STARTTLS is not offered
  int connect_timeout_seconds = 10;
  int timeout_seconds = 60;   ///< a message whose exchange stalls this long fails (transient)
};

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpOptions options);
  ~SmtpTransport() override;
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  /// code: the reply code of the failing command (RCPT 550 → 550), 0 for a
  /// refused, dropped or timed-out connection; answer: the server's last reply
  /// line, else curl's error text.
  SendResult send(const MailMessage& m) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee
