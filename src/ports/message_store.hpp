#pragma once
// The attendee message port (issue 21; migrations/<backend>/0017_attendee_messages.sql):
// operators' messages to a chosen set of attendees, and attendees opting out
// of non-essential messages. Sending a message writes one outbox row per
// recipient (kind attendee_message) and marks it sent in ONE transaction, so
// a message is sent once or not at all, even with several instances running
// the job at the same moment.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/attendee_message.hpp"
#include "ports/account_store.hpp"

namespace marquee {

/// Who an audience reaches now.
struct AudienceCount {
  std::int64_t recipients = 0;     ///< registrations in the audience, with an e-mail, not opted out: a message goes to each
  std::int64_t people = 0;         ///< distinct addresses among them (someone registered for several chosen events gets one per registration)
  std::int64_t opted_out = 0;      ///< in the audience but opted out of non-essential messages
  std::int64_t without_email = 0;  ///< in the audience but erased (no address)
  std::optional<std::int64_t> first_recipient;  ///< the lowest registration id among the recipients (for a preview)
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  /// Adds `m` (state scheduled, id assigned) with `audit`; returns the id and
  /// true. When a message with `m.idempotency_key` (non-empty) exists, writes
  /// nothing and returns its id and false. Throws StoreError.
  virtual std::pair<std::int64_t, bool> create_message(const AttendeeMessage& m, const AuditEntry& audit) = 0;
  virtual std::optional<AttendeeMessage> find_message(std::int64_t id) = 0;
  /// Newest first.
  virtual std::vector<AttendeeMessage> list_messages(int limit) = 0;
  /// A scheduled message becomes cancelled, with `audit`; false (nothing
  /// written) when it is not scheduled (sent already, or unknown).
  virtual bool cancel_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) = 0;
  /// Scheduled messages due at `now` (send_at <= now), oldest first.
  virtual std::vector<std::int64_t> due_messages(UnixSeconds now) = 0;
  /// Sends scheduled message `id` if it is due at `now`: in one transaction,
  /// one outbox row (kind attendee_message, dedup key "attendee_message:<id>:<registration id>",
  /// due now) per registration in its audience (core in_audience) with an
  /// e-mail and not opted out, and the message marked sent with that count
  /// and `audit` (its after value gets the count appended). nullopt when the
  /// message is not scheduled or not due (another instance sent it, or it
  /// was cancelled). Throws StoreError.
  virtual std::optional<std::int64_t> send_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) = 0;
  /// Who `a` reaches now (see AudienceCount).
  virtual AudienceCount count_audience(const MessageAudience& a) = 0;

  /// Opts registration `registration_id` out of non-essential messages (or
  /// back in with `opted_out` false); pending non-essential outbox rows stay
  /// and are skipped at delivery. Returns false for an unknown registration.
  virtual bool set_messages_opt_out(std::int64_t registration_id, bool opted_out, UnixSeconds now) = 0;
  /// Whether the registration opted out (false for an unknown one).
  virtual bool messages_opted_out(std::int64_t registration_id) = 0;
};

}  // namespace marquee
