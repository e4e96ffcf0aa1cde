#pragma once
// The outbox port: messages written in the same transaction as the change
// they report (registration, cancellation, promotion, publish), claimed by
// delivery workers for a lease, marked sent only after the SMTP server
// accepted them. Several processes may deliver from one store: a row is
// claimed by one of them at a time (PostgreSQL FOR UPDATE SKIP LOCKED; SQLite
// serialises writers).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// Kinds: registration_confirmed, registration_waitlisted, registration_cancelled,
/// waitlist_promoted, registration_link (the link sent again on request), event_changed;
/// alert_confirm and agenda_alert (agenda alerts: `alert_id` set, no registration);
/// reminder (before the start, dedup key core/reminders.hpp); place_offered,
/// offer_expired, offer_withdrawn (waiting-list offers: `offer_id` set);
/// transfer_sent (to the previous holder: name and e-mail from the transfer,
/// no personal link), transfer_received (to the new holder) with `transfer_id`;
/// attendee_message (an operator's message to a chosen set, ports/message_store.hpp).
/// States: pending, sent, failed, skipped.
struct OutboxMessage {
  std::int64_t id = 0;
  std::string kind;
  std::string event_key;
  std::optional<std::int64_t> registration_id;
  std::string dedup_key;  ///< unique: the same notification is never written twice
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> sent_at;
  std::string state = "pending";
  UnixSeconds due_at = 0;     ///< not delivered before (quiet period, retry backoff)
  int attempts = 0;           ///< delivery attempts so far (claims)
  std::string last_error;     ///< the SMTP server's answer or the connection error of the last attempt
  std::optional<std::int64_t> base_snapshot;    ///< event_changed: the live snapshot before the first change
  std::optional<std::int64_t> snapshot_number;  ///< event_changed: the last publish folded in
  std::int64_t revision = 0;  ///< bumped by each fold
  std::optional<std::int64_t> alert_id;  ///< alert_confirm, agenda_alert: the agenda alert
  std::optional<std::int64_t> offer_id;  ///< place_offered, offer_expired, offer_withdrawn: the offer
  std::optional<std::int64_t> transfer_id;  ///< transfer_sent, transfer_received: the transfer (registration_transfers)
};

/// What delivery needs from an agenda alert (see AlertStore).
struct AlertDelivery {
  std::string state;               ///< pending, confirmed, ended ("ended" when the alert or its agenda is gone)
  std::string confirm_sealed;      ///< the confirmation token, sealed (TokenSecret::seal)
  std::string unsubscribe_sealed;  ///< the unsubscribe token, sealed
  std::string agenda_sealed;       ///< the agenda's token, sealed
  std::vector<std::string> followed;  ///< the agenda's event keys now
};

/// The words of an operator's message (attendee_message rows; core/attendee_message.hpp).
struct AttendeeMessageText {
  std::int64_t id = 0;
  std::string subject;
  std::string body;  ///< Markdown
};

/// A claimed row with what delivery needs from its registration.
struct OutboxDelivery {
  OutboxMessage message;
  std::string name;               ///< the attendee's name ("" once erased)
  std::string email;              ///< "" once erased: nothing can be sent
  std::string token_sealed;       ///< see TokenSecret::seal; "" for registrations made before schema 7
  std::string registration_state; ///< confirmed, waitlisted, cancelled, checked_in
  std::string ticket_code;        ///< the registration's ticket code ("" without a registration)
  std::int64_t sequence = 0;      ///< the event's iCalendar SEQUENCE now
  std::optional<AlertDelivery> alert;  ///< rows of an agenda alert (then `email` is the alert's address)
  std::string offer_state;                  ///< rows with an offer: its state now (open, accepted, …)
  std::optional<UnixSeconds> offer_expires_at;  ///< rows with an offer: when it expires (UTC seconds)
  bool transfer_superseded = false;  ///< rows with a transfer: the place was passed on again since
  bool opted_out = false;  ///< the registration opted out of non-essential messages (core is_essential)
  std::optional<UnixSeconds> reconfirm_asked_at;  ///< the registration's current "Still coming?" question (nullopt: none)
  std::optional<UnixSeconds> reconfirm_deadline;  ///< …and the deadline it was told
  std::optional<AttendeeMessageText> attendee_message;  ///< attendee_message rows: the operator's message
};

struct OutboxCounts {
  std::int64_t pending = 0;  ///< waiting (quiet period, backoff or a worker)
  std::int64_t due = 0;      ///< pending and due now
  std::int64_t sent = 0;
  std::int64_t failed = 0;   ///< permanent failures and exhausted retries
  std::int64_t skipped = 0;  ///< nothing to send (changes undone, person erased, too old)
};

/// Events whose publish must notify attendees, and when (written by publish_snapshot).
struct PublishNotices {
  std::vector<std::string> event_keys;  ///< events whose change attendees must hear of
  UnixSeconds quiet_seconds = 0;        ///< due this long after the last change folded into a row…
  UnixSeconds max_delay_seconds = 0;    ///< …but at most this long after its first change (0 = no cap)
};

/// One reminder moment of one event: due `offset` seconds before `starts_at` (UTC seconds).
struct ReminderSlot {
  std::string event_key;
  UnixSeconds starts_at = 0;
  UnixSeconds offset = 0;
};

/// The pending outbox of one kind of message, for metrics.
struct OutboxBacklog {
  std::string kind;              ///< e.g. "schedule_change", "registration_link"
  std::int64_t pending = 0;      ///< rows not yet sent, failed or skipped
  std::int64_t due = 0;          ///< of them, due at `now`
  UnixSeconds oldest_due_created_at = 0; ///< when the oldest of the due rows was written (0 when none is due)
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  /// Claims up to `limit` pending rows due at `now` whose lease is free, for
  /// `lease_seconds`, and counts the attempt. Oldest due first. Throws StoreError.
  virtual std::vector<OutboxDelivery> claim_outbox(UnixSeconds now, int limit, int lease_seconds,
                                                   const std::string& worker) = 0;
  /// Marks a claimed row sent. When a publish folded a new change into it
  /// while it was being sent (its revision moved on), the row stays pending
  /// with its base advanced to `sent_snapshot` so the newer change follows in
  /// another message; returns false then. A row no longer claimed by
  /// `worker` is left alone (false).
  virtual bool mark_outbox_sent(std::int64_t id, const std::string& worker, std::int64_t revision,
                                std::optional<std::int64_t> sent_snapshot, UnixSeconds now) = 0;
  /// One accepted message for mark_outbox_sent_many.
  struct SentMark {
    std::int64_t id = 0;
    std::int64_t revision = 0;
    std::optional<std::int64_t> sent_snapshot;
    UnixSeconds at = 0;  ///< when the SMTP server accepted it (UTC seconds)
  };
  /// mark_outbox_sent for several rows in one transaction (one commit for a
  /// sender's group of accepted messages); the result per mark, in order.
  virtual std::vector<bool> mark_outbox_sent_many(const std::vector<SentMark>& marks, const std::string& worker) = 0;
  /// Releases a claimed row for another attempt at `due_at`, keeping `error`.
  virtual void reschedule_outbox(std::int64_t id, const std::string& worker, UnixSeconds due_at,
                                 const std::string& error, UnixSeconds now) = 0;
  /// Gives back a row `worker` claimed but did not try (a graceful stop):
  /// the lease ends and the attempt counted by the claim is taken back, so
  /// another worker takes it at once. A row no longer claimed by `worker` is
  /// left alone. Returns whether the row was released.
  virtual bool release_outbox(std::int64_t id, const std::string& worker, UnixSeconds now) = 0;
  /// Ends a claimed row as "failed" or "skipped" with the reason.
  virtual void close_outbox(std::int64_t id, const std::string& worker, const std::string& state,
                            const std::string& reason, UnixSeconds now) = 0;
  /// A failed row becomes pending again, due now, attempts reset. False when it is not failed.
  virtual bool retry_outbox(std::int64_t id, UnixSeconds now) = 0;
  /// "Send me my link again": one registration_link row, due now, for each
  /// active registration (confirmed, waitlisted, checked in; with a sealed
  /// token) of `email` (normalized), only for `event_key` unless it is "".
  /// Returns how many rows were written (0 for an unknown address).
  virtual std::int64_t enqueue_link_resend(const std::string& email, const std::string& event_key, UnixSeconds now) = 0;
  /// For each slot, one `reminder` row per confirmed or checked-in
  /// registration of its event that has an e-mail and was made before the
  /// reminder's moment (starts_at - offset; later registrants just had their
  /// confirmation), due at that moment, with dedup key
  /// reminder_dedup_key(registration, offset, starts_at): written once, so
  /// calling this every minute is safe; not written either when the same
  /// offset's reminder was sent after its moment − kReminderWindow (it went
  /// for a start less than the window away: the event moved a little). One
  /// transaction per slot.
  /// Returns how many rows were written. Throws StoreError.
  virtual std::int64_t enqueue_reminders(const std::vector<ReminderSlot>& slots, UnixSeconds now) = 0;
  /// Every pending row due after `now` (waiting out a retry backoff or a
  /// quiet period) becomes due at `now`, except reminders (due at their moment). Returns how many rows changed.
  virtual std::int64_t make_outbox_due(UnixSeconds now) = 0;

  /// One row with its registration's details, without claiming it (previews).
  virtual std::optional<OutboxDelivery> find_outbox(std::int64_t id) = 0;
  virtual OutboxCounts outbox_counts(UnixSeconds now) = 0;
  /// Pending rows by kind (kinds with none are left out), ordered by kind.
  virtual std::vector<OutboxBacklog> outbox_backlog(UnixSeconds now) = 0;
  /// Every row, ordered by id.
  virtual std::vector<OutboxMessage> list_outbox() = 0;
  /// Newest first; `state` "" = any.
  virtual std::vector<OutboxMessage> recent_outbox(const std::string& state, int limit) = 0;
  /// Registrations that a change of each event would notify (confirmed or
  /// waitlisted, with an e-mail), by event key.
  virtual std::map<std::string, std::int64_t> notifiable_counts(const std::vector<std::string>& event_keys) = 0;
  /// Deletes finished rows (sent, failed, skipped) last touched before
  /// `before`; pending rows are never deleted. Returns how many went.
  virtual std::int64_t purge_outbox(UnixSeconds before) = 0;
  /// The iCalendar SEQUENCE of every event that has one (others are 0).
  virtual std::map<std::string, std::int64_t> event_sequences() = 0;
};

}  // namespace marquee
