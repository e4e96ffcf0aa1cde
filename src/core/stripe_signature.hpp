#pragma once
// Stripe webhook signatures (issue 17), as Stripe specifies and its own
// client library checks them (stripe-node src/Webhooks.ts): the header
// "Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]";
// each v1 is hex(HMAC-SHA256(key = the whole "whsec_…" secret as bytes,
// message = "<t>.<raw body>")). No I/O; HMAC through libsodium.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace marquee {

enum class StripeSignatureCheck {
  valid,
  malformed,         ///< no header, no t=, or a t= that is not a whole number
  no_v1,             ///< no v1 signature (v0 and other schemes are ignored, never trusted)
  stale,             ///< t is more than the tolerance before now
  future,            ///< t is more than the tolerance after now (Stripe's client allows this; Marquee does not)
  mismatch,          ///< no v1 matches any secret
};
std::string_view to_string(StripeSignatureCheck c);

/// Checks `header` (the Stripe-Signature value) for the raw request body
/// `payload` against every one of `secrets` (two during a rotation): valid
/// when any v1 equals the HMAC under any secret, compared in constant time,
/// and |now − t| ≤ `tolerance_seconds` (default 300, Stripe's). The time is
/// checked after the signature, so a forged header learns nothing.
StripeSignatureCheck check_stripe_signature(std::string_view header, std::string_view payload,
                                            const std::vector<std::string>& secrets, UnixSeconds now,
                                            std::int64_t tolerance_seconds = 300);

/// The v1 signature Stripe would send for `payload` at `t` under `secret`
/// (lower-case hex), for tests and tools.
std::string stripe_v1_signature(std::string_view payload, UnixSeconds t, std::string_view secret);

}  // namespace marquee
