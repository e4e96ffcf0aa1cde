#pragma once
// Outgoing webhooks (issue 21; docs/webhooks.md): the event types an
// endpoint subscribes to, which URLs may receive them, how deliveries are
// signed (like Stripe's: "Marquee-Signature: t=<unix seconds>,v1=<hex>",
// hex(HMAC-SHA256(key = the "whsec_…" secret, message = "<t>.<raw body>")))
// and retried. Plain C++, no I/O (libsodium for the HMAC; inet_pton for
// reading addresses).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// The event types, in the order the console lists them:
/// registration.created (confirmed or waitlisted), registration.cancelled,
/// registration.promoted (waiting list → confirmed), registration.checked_in
/// (the first admission, at the check-in form or a check-in list),
/// event.published (a snapshot went live: publish or rollback),
/// event.changed (one event added, changed or removed by that publish).
const std::vector<std::string>& webhook_event_types();

/// Parses a comma-separated list of event types ("*" = all); nullopt and
/// `error` for an unknown type or an empty list. Returns them in
/// webhook_event_types() order, without repeats.
std::optional<std::vector<std::string>> parse_webhook_events(std::string_view text, std::string* error);

/// Why `url` cannot be an endpoint ("" = it can): an absolute http or https
/// URL with an ASCII host (punycode for international names), no user name
/// or password, no fragment, no spaces or control characters, at most 2,000 bytes.
std::string check_webhook_url(std::string_view url);

/// Whether `ip` (IPv4 dotted or IPv6 text) is an address webhooks may reach
/// without --webhook-allow-private: not loopback, private (RFC 1918, RFC
/// 4193 fc00::/7, site-local fec0::/10), link-local, carrier-grade NAT
/// (100.64/10), unspecified, multicast, broadcast, documentation or
/// benchmarking ranges, NAT64 (64:ff9b::/96, 64:ff9b:1::/48), any of ::/96
/// (IPv4-compatible), nor an IPv4-mapped, -translated or 6to4 (2002::/16)
/// form of a non-public IPv4 address. False for text that is not an address.
bool is_public_address(std::string_view ip);

/// The Marquee-Signature header for `body` sent at `t` under `secret`:
/// "t=<t>,v1=<lower-case hex HMAC-SHA256(secret, t + "." + body)>".
std::string marquee_signature(std::string_view body, UnixSeconds t, std::string_view secret);

/// How many attempts a delivery gets before it is failed (8.5 to 17 hours of
/// waits with the default base of 30 s), and the wait in seconds before
/// attempt `attempt` + 1: `base` doubling per attempt, at most 12 h, times a
/// jitter factor in [0.5, 1) from `unit` in [0, 1) (core retry_delay).
inline constexpr int kWebhookMaxAttempts = 12;
UnixSeconds webhook_retry_delay(int attempt, UnixSeconds base, double unit);

/// At most this many event.changed per publish; a bigger publish (a first
/// import, a season re-import) sends event.published only, with
/// "changed_events_omitted": true — receivers fetch /api/v1/changelog.
inline constexpr std::size_t kMaxChangedWebhooks = 1000;

/// Whether an HTTP status is a delivery: 2xx. Anything else (and no answer) is retried.
inline bool webhook_delivered(int status) { return status >= 200 && status < 300; }

}  // namespace marquee
