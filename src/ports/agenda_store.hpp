#pragma once
// Personal agendas in the store (issue 20; migrations/<backend>/0013_agendas.sql, 0014_agenda_use.sql):
// a visitor's starred events behind a private link. The store sees only the
// SHA-256 (hex) of the link's token.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

struct Agenda {
  std::string token_hash;               ///< SHA-256 (hex) of the token
  std::vector<std::string> event_keys;  ///< in the visitor's order, no repeats
  std::int64_t revision = 0;            ///< +1 on each change
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;            ///< the last change
  UnixSeconds used_at = 0;               ///< the last change or read (at most a day old when read daily); retention counts from it
};

/// What a save did.
struct AgendaSaved {
  enum class Result { saved, not_found, conflict } result = Result::saved;
  std::optional<Agenda> agenda;  ///< as stored after the save (saved) or as it stands (conflict)
};

class AgendaStore {
 public:
  virtual ~AgendaStore() = default;

  /// Adds an empty agenda (revision 0) at `now`. Throws StoreError (also
  /// when the hash exists, which a fresh random token never does).
  virtual void create_agenda(const std::string& token_hash, UnixSeconds now) = 0;
  virtual std::optional<Agenda> find_agenda(const std::string& token_hash) = 0;
  /// Replaces the agenda's keys and increments its revision, in one
  /// transaction; when `expected_revision` is given and differs from the
  /// stored one, changes nothing and answers conflict with the agenda as it
  /// stands. Throws StoreError.
  virtual AgendaSaved save_agenda(const std::string& token_hash, const std::vector<std::string>& event_keys,
                                  std::optional<std::int64_t> expected_revision, UnixSeconds now) = 0;
  /// Marks the agenda used at `now` (a read), writing only when its last use
  /// is more than a day before `now`, so a calendar app polling the feed
  /// costs one write a day. Unknown hashes are ignored. Throws StoreError.
  virtual void touch_agenda(const std::string& token_hash, UnixSeconds now) = 0;
  /// Deletes agendas not used (changed or read) since `before` (retention); returns how many.
  virtual std::int64_t purge_agendas(UnixSeconds before) = 0;
};

}  // namespace marquee
