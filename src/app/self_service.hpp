#pragma once
// Self-service changes from the attendee's personal page (issue 21;
// docs/registrations.md, "Self-service"): change the name and the answers to
// the event's questions (validated like at registration), or pass the place
// to another person where the event allows it (new e-mail, new personal link
// and ticket code; the old ones stop working at once; both people are told;
// audited). One store transaction each.
#include <string>
#include <utility>
#include <vector>

#include "app/registration_service.hpp"
#include "core/event.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

using FieldErrors = std::vector<std::pair<std::string, std::string>>;

struct DetailsReply {
  DetailsOutcome outcome;
  FieldErrors errors;  ///< the input was invalid: nothing changed ("name", "answers.<id>")
};

struct TransferReply {
  TransferOutcome outcome;
  FieldErrors errors;  ///< "name", "email", "answers.<id>"
};

class SelfService {
 public:
  SelfService(Store& store, const Clock& clock, RegistrationService& registrations)
      : store_(store), clock_(clock), registrations_(registrations) {}

  /// Changes the name and answers of the registration with personal token
  /// `token` for `event` (its questions check the answers). Throws StoreError.
  DetailsReply change_details(const std::string& token, const Event& event, const std::string& name,
                              const Answers& answers);

  /// Passes the registration with personal token `token` to the person in
  /// `to` (name, e-mail, answers to `event`'s questions), as `actor`
  /// ("attendee"). The new holder's link goes by e-mail only; the answer
  /// never carries it. Throws StoreError.
  TransferReply transfer(const std::string& token, const Event& event, const RegistrationInput& to,
                         const std::string& actor);

 private:
  Store& store_;
  const Clock& clock_;
  RegistrationService& registrations_;
};

}  // namespace marquee
