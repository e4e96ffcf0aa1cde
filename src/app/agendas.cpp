#include "app/agendas.hpp"

#include <sodium.h>

#include <set>

#include "app/accounts.hpp"
#include "app/token_secret.hpp"
#include "ports/store.hpp"
#include "core/event_key.hpp"

namespace marquee {
bool plausible_token(const std::string& token) {
  return token.size() == 43 && token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                                   std::string::npos;
}

std::string agenda_hash(const std::string& token) { return sha256_hex("agenda-token\x1f" + token); }

NewAgenda AgendaService::create() {
  NewAgenda made;
  made.token = random_token();
  const UnixSeconds now = clock_.now();
  made.agenda.token_hash = agenda_hash(made.token);
  store_.create_agenda(made.agenda.token_hash, now);
  made.agenda.created_at = made.agenda.updated_at = made.agenda.used_at = now;
  return made;
}

std::optional<Agenda> AgendaService::find(const std::string& token) {
  if (!plausible_token(token)) return std::nullopt;
  auto agenda = store_.find_agenda(agenda_hash(token));
  const UnixSeconds now = clock_.now();
  if (agenda && agenda->used_at < now - 86400) {
    // A read keeps the agenda (retention counts from the last use); a store that
    // cannot take the write (read-only replica) still answers the read.
    try {
      store_.touch_agenda(agenda->token_hash, now);
      agenda->used_at = now;
    } catch (const StoreError&) {
    }
  }
  return agenda;
}

std::variant<AgendaSaved, FieldErrors> AgendaService::save(const std::string& token, const std::vector<std::string>& keys,
                                                           std::optional<std::int64_t> expected_revision) {
  if (!plausible_token(token)) return AgendaSaved{AgendaSaved::Result::not_found, std::nullopt};
  FieldErrors errors;
  if (keys.size() > kMaxEvents) errors.emplace_back("events", "at most " + std::to_string(kMaxEvents) + " events");
  std::vector<std::string> kept;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < keys.size() && errors.empty(); ++i) {
    const auto key = normalize_explicit_key(keys[i]);
    if (!key) {
      errors.emplace_back("events[" + std::to_string(i) + "]", "is not an event key");
      continue;
    }
    if (seen.insert(*key).second) kept.push_back(*key);
  }
  if (!errors.empty()) return errors;
  return store_.save_agenda(agenda_hash(token), kept, expected_revision, clock_.now());
}

std::int64_t AgendaService::purge() { return store_.purge_agendas(clock_.now() - std::int64_t{kRetentionDays} * 86400); }

}  // namespace marquee
