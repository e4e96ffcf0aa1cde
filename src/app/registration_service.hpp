#pragma once
// The registration use cases: validate, derive tokens, register through the
// group-commit batcher, view, cancel, check in.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/registration_batcher.hpp"
#include "app/token_secret.hpp"
#include "core/event.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Finds a public event by key (from the served programme); nullopt if none.
using EventLookup = std::function<std::optional<Event>(const std::string& key)>;

struct RegistrationInput {
  std::string name;
  std::string email;
  Answers answers;               ///< as sent; checked against the event's questions
  std::string idempotency_key;   ///< "" = none; at most 200 printable ASCII characters
};

struct RegistrationReply {
  RegisterResult result = RegisterResult::full;
  Registration registration;     ///< for confirmed, waitlisted, replayed
  std::string token;             ///< the personal token (only ever sent to the attendee)
  std::vector<std::pair<std::string, std::string>> errors;  ///< field errors: the request was invalid (422)
};

struct RegistrationOptions {
  int batch_workers = 4;  ///< concurrent registration transactions
  int max_batch = 64;     ///< registrations per transaction
  /// Told after each transaction: its size, its time in seconds, and whether
  /// it committed (metrics). May be empty; must not block.
  std::function<void(std::size_t size, double seconds, bool committed)> on_batch;
};

class RegistrationService {
 public:

  /// The token secret (see TokenSecret) is read on first use, so the service
  /// can be built while the store is down.
  RegistrationService(Store& store, const Clock& clock, RegistrationOptions options);

  /// Validates `in` against `event` (name, e-mail, answers, idempotency key);
  /// on errors returns them without touching the store. Otherwise registers.
  /// Throws StoreError when the store fails.
  RegistrationReply register_attendee(const Event& event, const RegistrationInput& in);

  /// The registration whose token this is (with history), or nullopt.
  std::optional<Registration> find(const std::string& token);
  CancelOutcome cancel(const std::string& token, const std::string& actor);
  /// Checks a ticket in: the code is normalised (normalize_ticket_code) so it
  /// may be typed in any case, with spaces or dashes. `event_key`: the event
  /// the door is for ("" = any). A check-in is audited ("check_in", the
  /// registration, confirmed → checked_in) as `actor`.
  CheckinOutcome check_in(const std::string& ticket_code, const std::string& actor, const std::string& event_key = "");

  /// Erases registration `id`'s personal data (Store::erase_registration) and
  /// audits "erase" as `actor`; false when there is no such registration.
  /// Throws StoreError.
  bool erase(std::int64_t id, const std::string& actor);

  /// A fresh personal token (random, 256 bits, base64url), its hash and
  /// sealed form, and a fresh ticket code: for a new registration, or for
  /// the new holder of a transferred one.
  struct Credentials {
    std::string token, token_hash, token_sealed, ticket_code;
  };
  Credentials new_credentials();

  const Clock& clock() const { return clock_; }
  /// The installation's token secret (TicketSigner derives its key from it).
  TokenSecret& secret() { return secret_; }
  /// What the pages read beside the moves (no writes through these).
  RegistrationStore& registrations() { return store_; }
  EventReader& events() { return store_; }
  OutboxStore& outbox() { return store_; }
  OfferStore& offers() { return store_; }
  MessageStore& messages() { return store_; }

 private:
  Store& store_;
  const Clock& clock_;
  TokenSecret secret_;
  std::unique_ptr<RegistrationBatcher> batcher_;
};

/// SHA-256 (hex) of a personal token: what the store keeps instead of the token.
std::string token_hash(const std::string& token);

}  // namespace marquee
