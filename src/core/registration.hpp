#pragma once
// Registrations and the attendee state machine (no I/O).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/question.hpp"

namespace marquee {

enum class AttendeeState { confirmed, waitlisted, cancelled, checked_in };

std::string_view to_string(AttendeeState s);
std::optional<AttendeeState> parse_attendee_state(std::string_view s);

/// The allowed moves: confirmed → cancelled | checked_in; waitlisted →
/// confirmed (promotion) | cancelled. cancelled and checked_in are final.
bool can_move(AttendeeState from, AttendeeState to);

/// One recorded move of a registration (the first has no `from`).
struct StateMove {
  std::optional<AttendeeState> from;
  AttendeeState to = AttendeeState::confirmed;
  UnixSeconds at = 0;
  std::string actor;  ///< "attendee", "promotion", "door", "operator", "retention"
};

struct Registration {
  std::int64_t id = 0;            ///< store-assigned, increasing: the first-come order
  std::string event_key;
  AttendeeState state = AttendeeState::confirmed;
  std::string name;               ///< "" once erased
  std::string email;              ///< lower-cased; "" once erased
  Answers answers;
  std::string ticket_code;        ///< shown on the ticket and in its QR code; used at check-in
  int first_status = 201;         ///< the HTTP status of the first answer (201 or 202), for replays
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::optional<UnixSeconds> checked_in_at;
  std::optional<UnixSeconds> erased_at;
  std::vector<StateMove> moves;   ///< filled by find/list calls that ask for history
  std::optional<UnixSeconds> reconfirm_asked_at;  ///< when "Still coming?" was asked (no-show management)
  std::optional<UnixSeconds> reconfirmed_at;      ///< when the attendee answered yes
  std::optional<UnixSeconds> reconfirm_deadline;  ///< the deadline they were told (nullopt: never released for want of an answer)
};

/// A registration request after validation.
struct RegistrationRequest {
  std::string event_key;
  std::string name;
  std::string email;               ///< lower-cased, validated
  Answers answers;                 ///< normalized by check_answers
  std::string idempotency_key;     ///< "" = none
  std::string request_hash;        ///< SHA-256 of the request, to detect a key reused for another request
  std::string token_hash;          ///< SHA-256 of the personal token (the token itself is never stored)
  std::string ticket_code;
  std::string token_sealed;        ///< the token sealed with the installation secret (for links in messages)
};

/// A plausible e-mail address (RFC 5322 addr-spec, dot-atom local part, a
/// domain with a dot); returns it lower-cased, or nullopt.
std::optional<std::string> normalize_email(std::string_view email);

/// A ticket code as typed or scanned at the door, made comparable: upper
/// case, without spaces, dashes, dots or underscores, and with the Crockford
/// base32 look-alikes read as digits (O → 0, I and L → 1), the alphabet codes
/// are made from. "abcd-efgh 1jkl" → "ABCDEFGH1JK1". "" for empty input.
std::string normalize_ticket_code(std::string_view typed);

/// Field errors (field, message) for name and email: name 1..200 characters,
/// email plausible and at most 254 bytes.
std::vector<std::pair<std::string, std::string>> check_attendee(std::string_view name, std::string_view email);

}  // namespace marquee
