#include "adapters/mail/smtp_transport.hpp"

#include <curl/curl.h>

#include <cstring>
#include <mutex>
#include <stdexcept>

namespace marquee {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* data = nullptr;
  std::size_t offset = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t room = size * n;
  const std::size_t left = u->data->size() - u->offset;
  const std::size_t take = left < room ? left : room;
  std::memcpy(buffer, u->data->data() + u->offset, take);
  u->offset += take;
  return take;
}

struct Exchange {
  std::string last_reply;    ///< the server's last reply line
  std::string last_error;    ///< its last 4yz/5yz reply line
  bool mail_started = false; ///< MAIL FROM was sent: a reply code is about this message
};

// curl hands the server's replies over as "header in", our commands as "header out".
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string line(data, size);
  if (type == CURLINFO_HEADER_OUT && line.rfind("MAIL FROM", 0) == 0) x->mail_started = true;
  if (type != CURLINFO_HEADER_IN) return 0;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) x->last_reply = line;
  if (!line.empty() && (line[0] == '4' || line[0] == '5')) x->last_error = line;
  return 0;
}

}  // namespace

struct SmtpTransport::Impl {
  SmtpOptions options;
  CURL* curl = nullptr;
  Exchange exchange;
  char error[CURL_ERROR_SIZE] = {};
};

SmtpTransport::SmtpTransport(SmtpOptions options) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->options = std::move(options);
  impl_->curl = curl_easy_init();
  if (!impl_->curl) throw std::runtime_error("libcurl: cannot create a handle");
}

SmtpTransport::~SmtpTransport() {
  if (!impl_->curl) return;
  // Closing sends QUIT on an open connection: never wait long for its answer.
  curl_easy_setopt(impl_->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, 2L);
  curl_easy_cleanup(impl_->curl);
}

SendResult SmtpTransport::send(const MailMessage& m) {
  CURL* c = impl_->curl;
  const SmtpOptions& o = impl_->options;
  curl_easy_reset(c);  // keeps the open connection
  Upload upload{&m.message, 0};
  impl_->exchange = Exchange{};
  impl_->error[0] = '\0';
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  curl_easy_setopt(c, CURLOPT_URL, o.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + m.from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.message.size()));
  curl_easy_setopt(c, CURLOPT_USE_SSL, o.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!o.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, o.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.connect_timeout_seconds));
  // A stalled exchange (no byte moving for the timeout) ends the attempt.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o.timeout_seconds) * 2);
  curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(o.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &impl_->exchange);

  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  SendResult r;
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc == CURLE_OK) {
    r.accepted = true;
    r.code = static_cast<int>(code);
    r.answer = impl_->exchange.last_reply;
    return r;
  }
  // A reply code is about this message only when the server answered one of
  // its commands (MAIL, RCPT, DATA) with an error; a refusal at the greeting,
  // a failed STARTTLS or AUTH, a drop or a timeout is the connection's (code 0,
  // transient), with the server's words kept when it said any.
  const bool replied = rc == CURLE_SEND_ERROR || rc == CURLE_WEIRD_SERVER_REPLY || rc == CURLE_UPLOAD_FAILED;
  r.code = replied && impl_->exchange.mail_started && code >= 400 ? static_cast<int>(code) : 0;
  std::string what = impl_->error[0] ? impl_->error : curl_easy_strerror(rc);
  const std::string& said = impl_->exchange.last_error;
  r.answer = said.empty() ? what : r.code ? said : what + " (" + said + ")";
  return r;
}

}  // namespace marquee
