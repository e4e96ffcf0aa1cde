#include "app/registration_service.hpp"

#include "app/personal_data.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

// 12 characters of Crockford base32 (no I, L, O, U): 60 bits, easy to read out at the door.
std::string ticket_code_from(const unsigned char* bytes) {
  static constexpr char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | bytes[i];
  for (int i = 0; i < 12; ++i) {
    out.push_back(alphabet[v & 31]);
    v >>= 5;
  }
  return out;
}

}  // namespace

std::string token_hash(const std::string& token) { return sha256_hex("registration-token\x1f" + token); }

RegistrationService::RegistrationService(Store& store, const Clock& clock, RegistrationOptions options)
    : store_(store), clock_(clock),
      secret_([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); }) {
  batcher_ = std::make_unique<RegistrationBatcher>(store_, clock_, options.batch_workers, options.max_batch,
                                                  options.on_batch);
}

RegistrationReply RegistrationService::register_attendee(const Event& event, const RegistrationInput& in) {
  RegistrationReply reply;
  reply.errors = check_attendee(in.name, in.email);
  const Answers answers = check_answers(event.questions, in.answers, &reply.errors);
  const std::string idem = trim(in.idempotency_key);
  if (idem.size() > 200 || !std::all_of(idem.begin(), idem.end(), [](char c) { return c > 32 && c < 127; }))
    reply.errors.emplace_back("Idempotency-Key", "at most 200 printable ASCII characters without spaces");
  if (!reply.errors.empty()) return reply;

  RegistrationRequest req;
  req.event_key = event.key;
  req.name = collapse_whitespace(nfc(in.name));
  req.email = *normalize_email(in.email);
  req.answers = answers;
  req.idempotency_key = idem;
  std::string fingerprint = req.event_key + "\x1f" + req.name + "\x1f" + req.email;
  for (const auto& [k, v] : answers) fingerprint += "\x1f" + k + "=" + v;
  req.request_hash = sha256_hex(fingerprint);
  // With an Idempotency-Key the token is derived from it, so a replay can
  // hand back the same personal link; otherwise it is random.
  Credentials fresh = new_credentials();
  const std::string token = idem.empty() ? fresh.token : secret_.derive("registration-token", event.key + "\x1f" + idem);
  req.token_hash = token_hash(token);
  req.token_sealed = secret_.seal(token);
  req.ticket_code = fresh.ticket_code;

  RegisterOutcome out = batcher_->submit(req);
  reply.result = out.result;
  reply.registration = std::move(out.registration);
  if (out.result == RegisterResult::confirmed || out.result == RegisterResult::waitlisted ||
      out.result == RegisterResult::replayed)
    reply.token = token;
  return reply;
}

RegistrationService::Credentials RegistrationService::new_credentials() {
  Credentials c;
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  c.token = base64url(random, sizeof random);
  c.token_hash = token_hash(c.token);
  c.token_sealed = secret_.seal(c.token);
  unsigned char code[8];
  randombytes_buf(code, sizeof code);
  c.ticket_code = ticket_code_from(code);
  return c;
}

std::optional<Registration> RegistrationService::find(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  return store_.find_registration_by_token(token_hash(token));
}

CancelOutcome RegistrationService::cancel(const std::string& token, const std::string& actor) {
  if (token.empty() || token.size() > 100) return CancelOutcome{};
  return store_.cancel_registration(token_hash(token), clock_.now(), actor);
}

CheckinOutcome RegistrationService::check_in(const std::string& ticket_code, const std::string& actor,
                                            const std::string& event_key) {
  if (ticket_code.size() > 200) return CheckinOutcome{};
  const std::string code = normalize_ticket_code(ticket_code);
  if (code.empty() || code.size() > 40) return CheckinOutcome{};
  CheckinOutcome out = store_.check_in(code, clock_.now(), actor, event_key);
  if (out.result == CheckinResult::checked_in)
    store_.audit(AuditEntry{0, clock_.now(), actor, "check_in", "registration " + std::to_string(out.registration.id),
                            "confirmed", "checked_in"});
  return out;
}

bool RegistrationService::erase(std::int64_t id, const std::string& actor) {
  return erase_personal_data(store_, clock_, id, actor);
}

}  // namespace marquee
