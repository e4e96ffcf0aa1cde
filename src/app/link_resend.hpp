#pragma once
// "Send me my link again" (issue 13, item 11): a person who lost the link to
// their registration asks for it by e-mail address. The answer never says
// whether the address is registered; the link only ever goes to the address
// itself, through the outbox.
#include <string>

#include "app/address_limit.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct LinkResendOutcome {
  bool rate_limited = false;
  int retry_after = 0;  ///< seconds, when rate_limited
  bool invalid_email = false;
};

/// Queues one registration_link message per active registration of `email`
/// (for `event_key` only, unless ""), due now. Limits: `per_address` for the
/// client address, and 3 requests per hour per e-mail address (counted in
/// the store whether or not it is registered, so the limit says nothing
/// either). The outcome is the same for a registered and an unknown address.
/// Throws StoreError.
LinkResendOutcome resend_links(Store& store, const Clock& clock, AddressLimit& per_address, const std::string& email,
                               const std::string& event_key, const std::string& client_address);

/// resend_links as a service the lost-link pages hold (instead of the store).
class LinkResends {
 public:
  LinkResends(Store& store, const Clock& clock, AddressLimit& per_address)
      : store_(store), clock_(clock), per_address_(per_address) {}
  LinkResendOutcome resend(const std::string& email, const std::string& event_key, const std::string& client_address) {
    return resend_links(store_, clock_, per_address_, email, event_key, client_address);
  }

 private:
  Store& store_;
  const Clock& clock_;
  AddressLimit& per_address_;
};

}  // namespace marquee
