#pragma once
// The drive's programme: sessions (Events from the programme file), the
// overrides applied to them, the programme lock, assignment rules, and the
// allocation of registrants to sessions under capacity.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/event.hpp"
#include "core/pipeline/registrant.hpp"

namespace marquee::pipeline {

/// One [[override]] of config/overrides.toml: an explicit schedule change.
struct Override {
  std::string file;
  std::int64_t line = 0;
  std::string session;                    ///< session key
  std::optional<std::string> room, venue;
  std::optional<UnixSeconds> starts_at, ends_at;  ///< UTC, resolved by the build from the texts below
  std::string starts_at_text, ends_at_text;       ///< as written: local time in the session's zone
  std::optional<bool> cancelled;
  bool added = false;                     ///< the session is new after the lock, on purpose
  std::string reason, author, date;
  std::string where() const { return file + ":" + std::to_string(line); }
};

struct AppliedOverride {
  const Override* override_ = nullptr;
  Event before, after;
};

/// Applies overrides in order. Errors ("file:line: …"): unknown session, two
/// overrides setting the same field of one session, an end before the start.
std::vector<AppliedOverride> apply_overrides(std::vector<Event>& sessions, const std::vector<Override>& overrides,
                                             std::vector<std::string>* errors);

/// After the lock, the effective programme may differ from the locked
/// baseline only where an override sets the field (start, end, room, venue,
/// cancellation) or marks the session `added`. Each other difference is one
/// error naming the session, the field, both values' UTC seconds or text, and
/// the lock date. Returns the keys of sessions changed after the lock (with an override).
std::vector<std::string> check_lock(const std::vector<Event>& baseline, const std::vector<Event>& effective,
                                    const std::vector<Override>& overrides, const std::string& lock_date,
                                    std::vector<std::string>* errors);

/// [[assign]] in config/schedule-rules.toml: registrants whose fields all
/// equal `when` (compared folded; list fields: contain the value) also attend `sessions`.
struct AssignRule {
  std::string file;
  std::int64_t line = 0;
  std::vector<std::pair<std::string, std::string>> when;
  std::vector<std::string> sessions;
  std::string where() const { return file + ":" + std::to_string(line); }
};

/// Adds the rules' sessions to each matching registrant's "sessions" field
/// (sorted, unique) with a "rule" trace step. Errors: unknown session key.
void apply_assign_rules(std::vector<Registrant>& registrants, const std::vector<AssignRule>& rules,
                        const std::vector<Event>& sessions, std::vector<std::string>* errors);

/// A session's seats after allocation (indexes into the registrant vector).
struct SessionUse {
  std::optional<std::int64_t> capacity;  ///< nullopt = unlimited
  std::vector<std::size_t> confirmed;    ///< within capacity, first come first served
  std::vector<std::size_t> waitlisted;   ///< over capacity, in order
  std::vector<std::size_t> affected;     ///< chose a cancelled session (need to be told)
};

/// A registrant with confirmed seats in two overlapping sessions.
struct Conflict {
  std::size_t registrant = 0;
  std::string first, second;  ///< session keys, `first` starts first
};

struct Allocation {
  std::vector<SessionUse> sessions;  ///< parallel to the sessions given
  std::vector<Conflict> conflicts;   ///< ordered by registrant key, then sessions
};

/// Allocates active registrants to the sessions in their "sessions" field,
/// earliest registered_at first (unknown times last, then by key). Capacity:
/// `capacities[key]`, else the session's own capacity, else `default_capacity`.
Allocation allocate(const std::vector<Event>& sessions, const std::vector<Registrant>& registrants,
                    const std::map<std::string, std::int64_t>& capacities,
                    std::optional<std::int64_t> default_capacity);

}  // namespace marquee::pipeline
