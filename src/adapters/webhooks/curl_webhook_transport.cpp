#include "adapters/webhooks/curl_webhook_transport.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <memory>
#include <mutex>

#include "core/webhook.hpp"

namespace marquee {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto* s = static_cast<std::string*>(out);
  const std::size_t bytes = size * n;
  if (s->size() < 65536) s->append(data, std::min(bytes, 65536 - s->size()));
  return bytes;
}

struct Target {
  std::string host;  ///< without brackets
  long port = 0;
  std::vector<std::string> addresses;
};

// The URL's host and port, and the addresses it resolves to; "" or the reason.
std::string resolve(const std::string& url, Target& t) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "the URL cannot be read";
  char* host = nullptr;
  char* port = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || !host) return "the URL has no host";
  t.host = host;
  curl_free(host);
  if (curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK && port) {
    t.port = std::strtol(port, nullptr, 10);
    curl_free(port);
  }
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  for (char c : t.host)
    if (static_cast<unsigned char>(c) >= 0x80) return "the host is not ASCII (write it in punycode, xn--…)";
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(t.host.c_str(), nullptr, &hints, &found); rc != 0)
    return "the host " + t.host + " cannot be resolved: " + gai_strerror(rc);
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  for (auto* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {0};
    const void* where = a->ai_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
                                                : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (inet_ntop(a->ai_family, where, text, sizeof text)) t.addresses.emplace_back(text);
  }
  if (t.addresses.empty()) return "the host " + t.host + " has no address";
  return "";
}

}  // namespace

WebhookAnswer CurlWebhookTransport::post(const std::string& url, const std::string& body,
                                         const std::vector<std::pair<std::string, std::string>>& headers) {
  global_init();
  Target target;
  if (auto why = resolve(url, target); !why.empty()) return {std::nullopt, why};
  // Every address must be public (a name with one private address could be made to use it).
  if (!options_.allow_private)
    for (const auto& a : target.addresses)
      if (!is_public_address(a))
        return {std::nullopt, "refused: " + target.host + " resolves to the non-public address " + a +
                                  " (start marquee with --webhook-allow-private to allow it)"};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return {std::nullopt, "libcurl could not start a request"};
  CURL* c = curl.get();
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list, &curl_slist_free_all);
  // The request goes to the addresses checked above, whatever DNS says now.
  std::string pin = target.host + ":" + std::to_string(target.port) + ":";
  for (std::size_t i = 0; i < target.addresses.size(); ++i) {
    const std::string& a = target.addresses[i];
    pin += (i ? "," : "") + (a.find(':') != std::string::npos ? "[" + a + "]" : a);
  }
  curl_slist* resolve_list = curl_slist_append(nullptr, pin.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve_holder(resolve_list, &curl_slist_free_all);
  std::string answer;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_RESOLVE, resolve_list);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(options_.timeout_ms, 10000L));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return {std::nullopt, std::string(*error ? error : curl_easy_strerror(rc))};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (webhook_delivered(static_cast<int>(status))) return {static_cast<int>(status), ""};
  // The status only: the receiver's body is not kept (an internal service's answer is not the console's business).
  return {static_cast<int>(status), "HTTP " + std::to_string(status)};
}

}  // namespace marquee
