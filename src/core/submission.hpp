#pragma once
// Host submissions: a proposed new event or a proposed change to an event,
// decided by a moderator (no I/O). The host's name and e-mail are checked
// with check_attendee (core/registration.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace marquee {

enum class SubmissionState { pending, approved, rejected };
/// "pending" | "approved" | "rejected".
std::string_view to_string(SubmissionState s);
std::optional<SubmissionState> parse_submission_state(std::string_view s);

/// A host's proposal: a new event (target_key empty) or an update of the
/// event `target_key`.
struct Submission {
  std::int64_t id = 0;
  std::string token_hash;  ///< SHA-256 (hex) of the private status-link token
  std::string target_key;  ///< "" = a new event
  std::string payload;     ///< the proposed fields: a JSON object field → text (app/event_edit.hpp spellings)
  std::string host_name;
  std::string host_email;
  std::string note;        ///< the host's message to the moderators
  SubmissionState state = SubmissionState::pending;
  std::string reason;      ///< why it was rejected (shown to the host)
  std::string event_key;   ///< the event it became or changed (set on approval)
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> decided_at;
  std::string decided_by;
};

}  // namespace marquee
