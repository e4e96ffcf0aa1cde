#include "app/self_service.hpp"

#include "core/question.hpp"
#include "core/registration.hpp"
#include "core/text.hpp"

namespace marquee {

DetailsReply SelfService::change_details(const std::string& token, const Event& event, const std::string& name,
                                         const Answers& answers) {
  DetailsReply reply;
  if (token.empty() || token.size() > 100) return reply;
  for (auto& e : check_attendee(name, "someone@example.org"))  // the address is not changed here
    if (e.first == "name") reply.errors.push_back(std::move(e));
  const Answers checked = check_answers(event.questions, answers, &reply.errors);
  if (!reply.errors.empty()) return reply;
  reply.outcome = store_.change_details(token_hash(token), collapse_whitespace(nfc(name)), checked, clock_.now());
  return reply;
}

TransferReply SelfService::transfer(const std::string& token, const Event& event, const RegistrationInput& to,
                                    const std::string& actor) {
  TransferReply reply;
  if (token.empty() || token.size() > 100) return reply;
  reply.errors = check_attendee(to.name, to.email);
  const Answers checked = check_answers(event.questions, to.answers, &reply.errors);
  if (!reply.errors.empty()) return reply;
  TransferRequest t;
  t.token_hash = token_hash(token);
  t.name = collapse_whitespace(nfc(to.name));
  t.email = *normalize_email(to.email);
  t.answers = checked;
  const RegistrationService::Credentials fresh = registrations_.new_credentials();
  t.new_token_hash = fresh.token_hash;
  t.new_token_sealed = fresh.token_sealed;
  t.new_ticket_code = fresh.ticket_code;
  reply.outcome = store_.transfer_registration(t, clock_.now(), actor);
  return reply;
}

}  // namespace marquee
