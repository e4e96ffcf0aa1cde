#include "core/webhook.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/notification.hpp"
#include "core/stripe_signature.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

bool in_v4(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

bool public_v4(std::uint32_t a) {
  struct Range {
    std::uint32_t net;
    int bits;
  };
  static constexpr Range blocked[] = {
      {0x00000000, 8},   // 0.0.0.0/8 "this network"
      {0x0A000000, 8},   // 10/8 (RFC 1918)
      {0x64400000, 10},  // 100.64/10 carrier-grade NAT (RFC 6598)
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata)
      {0xAC100000, 12},  // 172.16/12 (RFC 1918)
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 TEST-NET-1
      {0xC0A80000, 16},  // 192.168/16 (RFC 1918)
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 TEST-NET-2
      {0xCB007100, 24},  // 203.0.113/24 TEST-NET-3
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, broadcast
  };
  return std::none_of(std::begin(blocked), std::end(blocked), [a](const Range& r) { return in_v4(a, r.net, r.bits); });
}

}  // namespace

const std::vector<std::string>& webhook_event_types() {
  static const std::vector<std::string> types = {"registration.created", "registration.cancelled", "registration.promoted",
                                                 "registration.checked_in", "event.published", "event.changed"};
  return types;
}

std::optional<std::vector<std::string>> parse_webhook_events(std::string_view text, std::string* error) {
  const auto& all = webhook_event_types();
  std::vector<bool> chosen(all.size(), false);
  bool any = false;
  for (const auto& part : split_list(text, ',')) {
    if (part == "*") {
      std::fill(chosen.begin(), chosen.end(), true);
      any = true;
      continue;
    }
    auto it = std::find(all.begin(), all.end(), part);
    if (it == all.end()) {
      *error = "unknown event type '" + part + "' (known: " + join(all, ", ") + ", or * for all)";
      return std::nullopt;
    }
    chosen[static_cast<std::size_t>(it - all.begin())] = true;
    any = true;
  }
  if (!any) {
    *error = "choose at least one event type";
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (chosen[i]) out.push_back(all[i]);
  return out;
}

std::string check_webhook_url(std::string_view url) {
  if (url.size() > 2000) return "at most 2,000 characters";
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return "no spaces or control characters";
  const std::string scheme = url_scheme(url);
  if ((scheme != "http" && scheme != "https") || ascii_lower(url.substr(0, scheme.size() + 3)) != scheme + "://")
    return "an http:// or https:// address";
  const auto rest = url.substr(scheme.size() + 3);
  const auto end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty()) return "the address needs a host";
  if (authority.find('@') != std::string_view::npos) return "no user name or password in the address (the signature authenticates)";
  for (char c : authority)
    if (static_cast<unsigned char>(c) >= 0x80) return "write the host in ASCII (punycode, xn--…)";
  if (url.find('#') != std::string_view::npos) return "no #fragment";
  return "";
}

bool is_public_address(std::string_view ip) {
  const std::string text(ip);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return public_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  const unsigned char* b = v6.s6_addr;
  static constexpr std::array<unsigned char, 12> mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, mapped.data(), 12) == 0)  // ::ffff:a.b.c.d
    return public_v4((std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) | (std::uint32_t{b[14]} << 8) | b[15]);
  static constexpr std::array<unsigned char, 16> zero{};
  if (std::memcmp(b, zero.data(), 12) == 0) return false;  // ::/96: ::, ::1 and the IPv4-compatible ::a.b.c.d
  static constexpr std::array<unsigned char, 12> translated = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
  if (std::memcmp(b, translated.data(), 12) == 0) return false;  // ::ffff:0:a.b.c.d (RFC 2765)
  if (b[0] == 0x20 && b[1] == 0x02)  // 2002::/16 6to4: the IPv4 address it carries decides
    return public_v4((std::uint32_t{b[2]} << 24) | (std::uint32_t{b[3]} << 16) | (std::uint32_t{b[4]} << 8) | b[5]);
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)
    return false;                                                                           // 64:ff9b:1::/48 local NAT64
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;                                  // fec0::/10 site-local
  if ((b[0] & 0xfe) == 0xfc) return false;                                                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;                                  // fe80::/10 link-local
  if (b[0] == 0xff) return false;                                                           // ff00::/8 multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;           // 2001:db8::/32 documentation
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return false;           // 64:ff9b::/96 NAT64
  return true;
}

std::string marquee_signature(std::string_view body, UnixSeconds t, std::string_view secret) {
  return "t=" + std::to_string(t) + ",v1=" + stripe_v1_signature(body, t, secret);
}

UnixSeconds webhook_retry_delay(int attempt, UnixSeconds base, double unit) {
  return retry_delay(attempt, base, 12 * 3600, unit);
}

}  // namespace marquee
