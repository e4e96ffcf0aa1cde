#pragma once
// Messages to a chosen set of attendees (issue 21; docs/registrations.md,
// "Messages to attendees"): who receives one (the audience), what it says,
// and which messages an attendee may opt out of. Plain C++, no I/O; the store
// applies in_audience inside the transaction that writes the outbox rows.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.hpp"
#include "core/registration.hpp"

namespace marquee {

/// Who receives a message: registrations of one of `event_keys` whose state
/// is one of `states` (confirmed, waitlisted, checked_in — never cancelled),
/// and whose answers match `answers`: (question id, value) pairs; pairs with
/// the same id are alternatives (any one matches), different ids must all
/// match. Values compare exactly (yes/no answers are "yes" and "no").
struct MessageAudience {
  std::vector<std::string> event_keys;
  std::vector<AttendeeState> states{AttendeeState::confirmed, AttendeeState::checked_in};
  std::vector<std::pair<std::string, std::string>> answers;
  friend bool operator==(const MessageAudience&, const MessageAudience&) = default;
};

/// Whether a registration of an audience event in `state` with `answers` is in `a`.
bool in_audience(const MessageAudience& a, AttendeeState state, const Answers& answers);

/// A message's life: scheduled (waiting for `send_at`), sent (its outbox
/// rows are written; delivery goes on in the outbox), cancelled before that.
enum class MessageState { scheduled, sent, cancelled };
std::string_view to_string(MessageState s);
std::optional<MessageState> parse_message_state(std::string_view text);

/// One message to attendees. Times are UTC seconds.
struct AttendeeMessage {
  std::int64_t id = 0;
  std::string subject;  ///< one line, 1..200 characters
  std::string body;     ///< Markdown (CommonMark), 1..20,000 bytes
  MessageAudience audience;
  MessageState state = MessageState::scheduled;
  UnixSeconds send_at = 0;              ///< when it goes out (the moment it was asked for when "now")
  std::optional<std::int64_t> recipients;  ///< outbox rows written when it was sent
  std::string created_by;               ///< the operator: a console user's e-mail, "staff token", "token N (name)", "operator (cli)"
  std::string idempotency_key;          ///< "" = none; a second create with the same key returns the first message
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> sent_at;
};

/// Field errors (field, message) for a message as typed: subject 1..200
/// characters on one line, body 1..20,000 bytes, at least one event key, at
/// least one state, no cancelled state, answer pairs with a question id and
/// a value. Fields: "subject", "body", "events", "states", "answers".
std::vector<std::pair<std::string, std::string>> check_message(const AttendeeMessage& m);

/// The text form of audience states, e.g. "confirmed, checked_in"; parse
/// returns nullopt for an unknown or cancelled state.
std::string format_states(const std::vector<AttendeeState>& states);
std::optional<std::vector<AttendeeState>> parse_states(std::string_view text);

/// The text form of answer conditions, one "question=value" per line (the
/// console's field and the store's column); blank lines are skipped, a line
/// without '=' or with an empty side sets `error` (naming the line) and
/// returns nullopt.
std::string format_answer_conditions(const std::vector<std::pair<std::string, std::string>>& answers);
std::optional<std::vector<std::pair<std::string, std::string>>> parse_answer_conditions(std::string_view text,
                                                                                       std::string* error);

/// A one-line description of an audience for the audit log and the console,
/// e.g. "events hl27-008, hl27-012; states confirmed, checked_in; answers dietary=Vegan".
std::string describe_audience(const MessageAudience& a);

}  // namespace marquee
