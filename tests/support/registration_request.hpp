#pragma once
// A registration request as the registration service would hand it to the
// store, for store tests: `who` names the attendee ("ana" → "Attendee ana",
// ana@example.org); token, ticket code and sealed token are unique per call.
#include <atomic>
#include <string>

#include "core/event_key.hpp"
#include "ports/registration_store.hpp"

namespace marquee::testing {

inline RegistrationRequest a_registration(const std::string& event_key, const std::string& who) {
  static std::atomic<int> n{0};
  const std::string unique = who + "#" + std::to_string(n++);
  RegistrationRequest r;
  r.event_key = event_key;
  r.name = "Attendee " + who;
  r.email = who + "@example.org";
  r.request_hash = sha256_hex(event_key + "|" + who);
  r.token_hash = sha256_hex("token:" + unique);
  r.ticket_code = sha256_hex("ticket:" + unique).substr(0, 12);
  r.token_sealed = "sealed-" + who;
  return r;
}

}  // namespace marquee::testing
