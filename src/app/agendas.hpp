#pragma once
// Personal agendas (issue 20): a visitor's starred events, kept on their
// device and synced across devices with a private link. No account and no
// personal data: the store keeps the SHA-256 of the link's token and event
// keys only.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/placements.hpp"
#include "ports/agenda_store.hpp"
#include "ports/clock.hpp"

namespace marquee {

/// A token as random_token() (app/accounts.hpp) makes it: 43 base64url characters.
bool plausible_token(const std::string& token);
/// What the store keeps of an agenda token: SHA-256 (hex), domain-separated from other tokens.
std::string agenda_hash(const std::string& token);

/// A new agenda: its private token (shown once: the store keeps its hash) and the agenda.
struct NewAgenda {
  std::string token;  ///< 43 characters, base64url of 32 random bytes
  Agenda agenda;
};

class AgendaService {
 public:
  /// Agendas at most this many events long.
  static constexpr std::size_t kMaxEvents = 500;
  /// Agendas untouched this long are deleted by the retention job (days).
  static constexpr int kRetentionDays = 400;

  AgendaService(AgendaStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// Makes an empty agenda. Throws StoreError.
  NewAgenda create();
  /// The agenda of `token`, or nullopt (unknown or malformed token). A read
  /// is a use: the agenda is marked used (at most once a day), so one that is
  /// only read — a calendar app polling its feed — is kept. Throws StoreError
  /// when the read fails (a failed mark is ignored).
  std::optional<Agenda> find(const std::string& token);
  /// Replaces the agenda's events (keys: event key syntax, at most
  /// kMaxEvents, repeats dropped keeping the first; keys of events not in
  /// the programme are kept, so an agenda survives an event that is
  /// unpublished for a while). `expected_revision`: the If-Match the device
  /// sent (none = last write wins). Field errors ("events[3]") change nothing.
  /// Throws StoreError.
  std::variant<AgendaSaved, FieldErrors> save(const std::string& token, const std::vector<std::string>& keys,
                                              std::optional<std::int64_t> expected_revision);
  /// Deletes agendas neither changed nor read for kRetentionDays; returns how many.
  std::int64_t purge();

 private:
  AgendaStore& store_;
  const Clock& clock_;
};

}  // namespace marquee
