#include "app/link_resend.hpp"

#include "core/event_key.hpp"
#include "core/registration.hpp"

namespace marquee {

LinkResendOutcome resend_links(Store& store, const Clock& clock, AddressLimit& per_address, const std::string& email,
                               const std::string& event_key, const std::string& client_address) {
  LinkResendOutcome out;
  const auto normalized = normalize_email(email);
  if (!normalized) {
    out.invalid_email = true;
    return out;
  }
  const UnixSeconds now = clock.now();
  int wait = per_address.acquire(client_address, now);
  if (wait == 0) wait = store.hit_rate_limit("resend:email:" + sha256_hex(*normalized), 3, 3600, now);
  if (wait > 0) {
    out.rate_limited = true;
    out.retry_after = wait;
    return out;
  }
  store.enqueue_link_resend(*normalized, event_key, now);
  return out;
}

}  // namespace marquee
