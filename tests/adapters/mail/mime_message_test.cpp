// MIME headers of outgoing mail (issue 14: a change e-mail's subject read
// "12:30(Europe/Berlin)" once decoded).
#include <gtest/gtest.h>

#include <sodium.h>

#include <regex>

#include "adapters/mail/mime_message.hpp"

using namespace marquee;

namespace {

MimeParts parts(const std::string& subject) {
  MimeParts p;
  p.from_address = "noreply@example.org";
  p.to_address = "ann@example.org";
  p.subject = subject;
  p.message_id = "m.1@example.org";
  p.date = 1795000000;
  p.text = "x";
  p.html = "<p>x</p>";
  return p;
}

// The Subject header's lines, unfolded.
std::string subject_header(const std::string& message) {
  const auto start = message.find("\nSubject:");
  std::string value;
  for (auto i = start + 9; i < message.size(); ++i) {
    if (message[i] == '\r') continue;
    if (message[i] == '\n') {
      if (i + 1 < message.size() && (message[i + 1] == ' ' || message[i + 1] == '\t')) continue;
      break;
    }
    value += message[i];
  }
  return value;
}

}  // namespace

TEST(MimeMessage, ANonAsciiSubjectIsOnlyEncodedWordsThatKeepEverySpace) {
  const std::string subject = "Changed: Harbour talk, now Friday 11 June 2027, 12:30\u201313:30 (Europe/Berlin)";
  const std::string header = subject_header(build_mime_message(parts(subject)));
  // Every word is an encoded word of at most 75 characters (RFC 2047 §2) …
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
  std::string decoded, rest = header;
  std::smatch m;
  while (std::regex_search(rest, m, word)) {
    EXPECT_LE(m[0].length(), 75);
    EXPECT_EQ(m.prefix().str().find_first_not_of(" \t"), std::string::npos) << "plain text between words: " << header;
    const std::string b64 = m[1].str();
    std::string bin(b64.size(), '\0');
    std::size_t len = 0;
    ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.data(), b64.size(), nullptr,
                                &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
              0);
    decoded += bin.substr(0, len);
    rest = m.suffix().str();
  }
  EXPECT_EQ(rest.find_first_not_of(" \t"), std::string::npos);
  // … and adjacent encoded words decode to the subject with its spaces (RFC 2047 §6.2).
  EXPECT_EQ(decoded, subject);
}

TEST(MimeMessage, AnAsciiSubjectStaysPlain) {
  EXPECT_EQ(subject_header(build_mime_message(parts("Registered: Harbour talk"))), " Registered: Harbour talk");
}

// RFC 8058 one-click unsubscribe (agenda alerts, issue 20): the URL in angle
// brackets, as is (RFC 2369 §2: no encoded words), and the POST marker.
TEST(MimeMessage, OneClickUnsubscribeHeaders) {
  const std::string plain = build_mime_message(parts("Changed: Harbour talk"));
  EXPECT_EQ(plain.find("List-Unsubscribe"), std::string::npos);
  MimeParts p = parts("Changed: Harbour talk");
  p.list_unsubscribe = "https://programme.example.org/alerts/unsubscribe/AbC_12-x9AbC_12-x9AbC_12-x9AbC_12-x9AbC_12-x9";
  const std::string message = build_mime_message(p);
  EXPECT_NE(message.find("\r\nList-Unsubscribe: <" + p.list_unsubscribe + ">\r\n"), std::string::npos) << message;
  EXPECT_NE(message.find("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos) << message;
  p.list_unsubscribe = "https://x.example.org/a>\r\nBcc: someone@example.org";
  EXPECT_THROW(build_mime_message(p), std::runtime_error) << "no header injection through the URL";
}
