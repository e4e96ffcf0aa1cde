#pragma once
// Reminders before an event (issue 21): how long before the start each is
// due, the outbox key that makes each one once per registration, offset and
// start time, and when a due reminder is not sent after all. Plain C++, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// At most this many reminders per event.
inline constexpr std::size_t kMaxReminders = 4;

/// A reminder is written up to this long before its moment and at most this
/// long after it (seconds); a reminder sent for a start less than this far
/// from the event's new start is not sent again.
inline constexpr UnixSeconds kReminderWindow = 3600;

/// "24h, 2h", "1d 30m", "90m" → offsets in seconds, longest first, without
/// repeats; "" or "off" → none. Units: d (days), h (hours), m (minutes); each
/// offset from 5 minutes to 30 days. nullopt with `error` set for anything
/// else ("'3x' is not a duration such as 24h or 30m").
std::optional<std::vector<UnixSeconds>> parse_reminder_offsets(std::string_view text, std::string* error);

/// The offsets as parse_reminder_offsets reads them back, in days from two
/// days on, else hours, else minutes: "2d, 24h, 90m"; "" for none.
std::string format_reminder_offsets(const std::vector<UnixSeconds>& offsets);

/// The time left before the start in words, for "starts in about …":
/// whole hours from two hours on ("24 hours", "2 hours"), else five-minute
/// steps, at least 5 minutes ("1 hour 30 minutes", "45 minutes").
std::string reminder_lead_text(UnixSeconds left);

/// The outbox dedup key of a reminder: "reminder:<registration>:<offset>:<starts_at>"
/// (seconds, UTC). An event that moves gets keys for its new start.
std::string reminder_dedup_key(std::int64_t registration_id, UnixSeconds offset, UnixSeconds starts_at);

struct ReminderKey {
  std::int64_t registration_id = 0;
  UnixSeconds offset = 0;
  UnixSeconds starts_at = 0;
};
/// The parts of a reminder_dedup_key; nullopt for any other text.
std::optional<ReminderKey> parse_reminder_dedup_key(std::string_view key);

/// Why a due reminder is not sent (empty: send it): the registration is no
/// longer confirmed or checked in, its personal data was erased, the event
/// left the programme or is cancelled, it has started, or it moved since the
/// reminder was written (the reminder for its new start replaces this one).
/// `live`: the event in the live snapshot now (nullopt when not public).
std::string reminder_skip_reason(const ReminderKey& key, const std::string& registration_state, bool erased,
                                 const std::optional<Event>& live, UnixSeconds now);

}  // namespace marquee
