#pragma once
// Notification rules: which published changes attendees hear of, what one
// (possibly folded) message says, and when a failed delivery is retried.
// Plain C++, no I/O; the outbox and SMTP live in adapters.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/snapshot_diff.hpp"

namespace marquee {

/// Installation-wide notification settings (stored as settings "notify_fields",
/// "notify_quiet_seconds", "notify_max_delay_seconds"; docs/notifications.md).
struct NotifySettings {
  /// Public fields whose change is sent to attendees (start, end, zone,
  /// all-day, venue, room, address, cancellation by default; operators add others).
  std::vector<std::string> fields;
  UnixSeconds quiet_seconds = 600;       ///< a message waits until no change came for this long…
  UnixSeconds max_delay_seconds = 3600;  ///< …but at most this long after the first change (0 = no cap)
  /// Reminders before each event's start (setting "reminder_offsets", core/reminders.hpp), seconds; none = off.
  std::vector<UnixSeconds> reminder_offsets;
  /// Events with their own reminders (event_operations.reminder_offsets): key → offsets (empty: none).
  std::map<std::string, std::vector<UnixSeconds>> event_reminder_offsets;
  /// The offsets that apply to event `key`.
  const std::vector<UnixSeconds>& reminders_for(const std::string& key) const {
    auto it = event_reminder_offsets.find(key);
    return it == event_reminder_offsets.end() ? reminder_offsets : it->second;
  }
};

const std::vector<std::string>& default_notify_fields();

/// Fields an operator may mark (every field diff_programmes compares).
const std::vector<std::string>& notifiable_fields();

/// Parses the stored settings; unknown field names are dropped, bad numbers
/// fall back to the defaults.
NotifySettings parse_notify_settings(std::string_view fields, std::string_view quiet, std::string_view max_delay);

/// Keys of the events in `changes` attendees must hear of: removed events and
/// changed events with a field in `fields`. Added events notify nobody.
std::vector<std::string> notifying_events(const std::vector<EventChange>& changes, const std::vector<std::string>& fields);

/// What one message is about.
enum class NoticeKind {
  registration_confirmed,
  registration_waitlisted,
  registration_cancelled,
  waitlist_promoted,
  registration_link,  ///< the personal link sent again, on request
  event_changed,    ///< start, end, place … changed (details in `changes`)
  event_cancelled,  ///< the event's status became cancelled
  event_removed,    ///< the event left the public programme
  alert_confirm,    ///< agenda alerts: "confirm your address" (double opt-in)
  agenda_alert,     ///< agenda alerts: starred events changed (details per event in Notice::followed)
  reminder,         ///< before the start (core/reminders.hpp)
  place_offered,    ///< waiting list: a place is held for the attendee until Notice::deadline (core/place_offers.hpp)
  offer_expired,    ///< waiting list: the offer was not answered in time; the registration ended
  offer_withdrawn,  ///< waiting list: the capacity was lowered; still on the waiting list
  transfer_sent,      ///< self-service: to the one who passed their place on (calendar CANCEL, no link)
  transfer_received,  ///< self-service: to the new holder, with their own link and ticket
  attendee_message,   ///< an operator's message to a chosen set (core/attendee_message.hpp)
  reconfirm_request,  ///< no-show management: "Still coming?" (answers on the personal page)
  reconfirm_released, ///< no-show management: the place went to the waiting list for want of an answer
};

/// Outbox kind text → kind; event_changed is refined by make_change_notice.
std::optional<NoticeKind> notice_kind(std::string_view outbox_kind);
std::string_view to_string(NoticeKind k);

/// Whether attendees always receive messages of kind `k`. Reminders and
/// operators' messages are not essential: an attendee who opted out
/// (one-click unsubscribe, RFC 8058) does not receive them; confirmations,
/// changes, cancellations, offers and transfers are always sent.
bool is_essential(NoticeKind k);

/// The net change between what the attendee last heard (`before`) and the
/// programme now (`after`, nullopt when the event is no longer public),
/// restricted to `fields`. Several publishes folded into one row give one
/// notice; when they cancel out, `changes` is empty and nothing is sent.
struct ChangeNotice {
  NoticeKind kind = NoticeKind::event_changed;
  std::vector<FieldValues> changes;  ///< raw values as in EventChange::details
  bool nothing_to_send() const { return kind == NoticeKind::event_changed && changes.empty(); }
};
ChangeNotice make_change_notice(const std::optional<Event>& before, const std::optional<Event>& after,
                                const std::vector<std::string>& fields);

/// Delay before retry number `attempt` (1 = the first retry): `base` doubled
/// per attempt, at most `cap`, then scaled by a jitter factor in [0.5, 1.0]
/// taken from `unit` (uniform in [0, 1)) so that many failed messages do not
/// retry in lock-step. Seconds, at least 1.
UnixSeconds retry_delay(int attempt, UnixSeconds base, UnixSeconds cap, double unit);

/// An SMTP reply code that ends delivery of a message (RFC 5321 §4.2.1:
/// 5yz is a permanent negative completion reply). 4yz and connection
/// failures (code 0) are transient.
bool is_permanent_smtp_failure(int code);

}  // namespace marquee
