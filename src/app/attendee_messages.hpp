#pragma once
// Messages to a chosen set of attendees (issue 21; docs/registrations.md,
// "Messages to attendees"): check a draft and count its audience, schedule
// or send it, cancel a scheduled one, the job that sends those due, and the
// attendee's opt-out of non-essential messages. Sending writes every
// recipient's outbox row in one store transaction (ports/message_store.hpp);
// delivery is the outbox's (app/notifier.hpp: retries, de-duplication,
// skipped when the attendee cancelled or opted out meanwhile). Operator
// moves are audited: "message_create" (audience and subject),
// "message_send" (with the recipient count), "message_cancel". The job runs
// every minute in `marquee serve`, as the cron job "messages" and as
// `marquee attendees send-messages`.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/attendee_message.hpp"
#include "ports/clock.hpp"
#include "ports/mail_transport.hpp"
#include "ports/notice_composer.hpp"
#include "ports/store.hpp"

namespace marquee {

/// A message as typed (console form, API, CLI).
struct MessageDraft {
  std::vector<std::string> event_keys;
  std::string states = "confirmed, checked_in";  ///< see parse_states
  std::string answers;  ///< one "question=value" per line (parse_answer_conditions)
  std::string subject;
  std::string body;     ///< Markdown
  /// When to send: "" or "now", RFC 3339 with an offset ("2026-06-12T09:00:00+02:00", "…Z"),
  /// or a wall time "YYYY-MM-DDTHH:MM" (an HTML datetime-local) in the festival's zone.
  std::string send_at;
  /// The console form's nonce or the API's Idempotency-Key ("" = none): a
  /// second create with the same key (a double click, a retry after a lost
  /// answer) returns the first message and sends nothing again.
  std::string idempotency_key;
};

/// What send_test did.
struct TestSend {
  enum class Result { sent, refused, invalid };
  Result result = Result::invalid;
  std::string detail;  ///< invalid: why (no mail server, no recipient, an address that is not a console user's); refused: the SMTP answer
};

/// A checked draft: field errors (field → message; "send_at" besides those
/// of check_message; an unknown event key is an "events" error), the message
/// it makes and who it reaches now.
struct CheckedMessage {
  std::vector<std::pair<std::string, std::string>> errors;
  AttendeeMessage message;
  AudienceCount count;
};

/// What create did: the errors (nothing stored when any), else the message
/// as stored after the call (sent already when it was due).
struct CreatedMessage {
  std::vector<std::pair<std::string, std::string>> errors;
  std::optional<AttendeeMessage> message;
  AudienceCount count;
};

class AttendeeMessages {
 public:
  /// `zone`: the festival's IANA zone, for wall times; `wake`: called after
  /// outbox rows were written (the sender starts at once), may be empty.
  AttendeeMessages(Store& store, const Clock& clock, std::function<std::string()> zone, std::function<void()> wake = {})
      : store_(store), clock_(clock), zone_(std::move(zone)), wake_(std::move(wake)) {}

  /// Validates `draft` and counts its audience; stores nothing. Throws StoreError.
  CheckedMessage check(const MessageDraft& draft);
  /// Validates and stores `draft` as `actor` (audited), then sends it at
  /// once when its time has come. When that send fails on the store, the
  /// message stays scheduled and due (the every-minute job sends it) and is
  /// returned as such: a retry with the same idempotency key does not make a
  /// second one. Throws StoreError when the message could not be stored.
  CreatedMessage create(const MessageDraft& draft, const std::string& actor);
  /// Sends message `id` if it is scheduled and due; returns the recipients
  /// written, nullopt otherwise. Throws StoreError.
  std::optional<std::int64_t> send(std::int64_t id, const std::string& actor);
  /// Sends every scheduled message due by `at` (default: the clock); returns
  /// how many were sent. Throws StoreError.
  std::int64_t send_due(std::optional<UnixSeconds> at = std::nullopt);
  /// Cancels scheduled message `id` (audited); false when it is not scheduled.
  bool cancel(std::int64_t id, const std::string& actor);

  /// Mail of this installation (null: no SMTP; no previews or tests then). Must outlive this.
  void set_notifier(class Notifier* notifier) { notifier_ = notifier; }
  bool can_preview() const { return notifier_ != nullptr; }
  /// The message of a checked draft as its first recipient would receive it;
  /// nullopt with `why` without mail, without recipients, or when it cannot be built.
  std::optional<RenderedNotice> preview(const CheckedMessage& checked, std::string* why);
  /// Sends that preview at once, outside the outbox, to `to`, which must be
  /// a console user's address (a test goes to the team, never outside), with
  /// a placeholder name instead of the attendee's and the subject marked
  /// "[Test]"; audited "message_test" as `actor` when tried.
  TestSend send_test(const CheckedMessage& checked, const std::string& to, const std::string& actor);

  std::optional<AttendeeMessage> find(std::int64_t id) { return store_.find_message(id); }
  std::vector<AttendeeMessage> list(int limit = 100) { return store_.list_messages(limit); }
  AudienceCount count(const MessageAudience& a) { return store_.count_audience(a); }

  /// The attendee with personal token `token` opts out of non-essential
  /// messages (or back in). Returns the registration, nullopt for an unknown
  /// token. Not audited (the attendee's own choice), recorded on the registration.
  std::optional<Registration> set_opt_out(const std::string& token, bool opted_out);
  bool opted_out(std::int64_t registration_id) { return store_.messages_opted_out(registration_id); }

 private:
  std::optional<UnixSeconds> send_time(const std::string& text, std::string* error) const;
  std::optional<std::int64_t> send_as_of(std::int64_t id, const std::string& actor, UnixSeconds now);

  Store& store_;
  const Clock& clock_;
  std::function<std::string()> zone_;
  std::function<void()> wake_;
  class Notifier* notifier_ = nullptr;
};

}  // namespace marquee
