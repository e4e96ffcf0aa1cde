#pragma once
// Publishing: freeze the working programme into a numbered snapshot and make
// it live; roll back by making an earlier snapshot live again (recorded as a
// new snapshot of kind "rollback"); diffs between any two versions.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/notification.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class PublishError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The notifications a publish of one event's change will write.
struct NoticePreview {
  std::string event_key;
  std::vector<std::string> fields;  ///< the changed fields attendees hear of ("" list for removed events)
  ChangeKind kind = ChangeKind::changed;
  std::int64_t attendees = 0;       ///< registrations that get a message (confirmed or waitlisted, with an e-mail)
  std::int64_t followers = 0;       ///< confirmed agenda alerts following the event
};

/// The notifications a publish will write: per event, and the messages in all.
struct NoticesPreview {
  std::vector<NoticePreview> events;   ///< events with attendees or agenda alerts to tell, in change order
  std::int64_t attendee_messages = 0;  ///< one per attendee and changed event (before folding)
  std::int64_t alert_messages = 0;     ///< one per confirmed agenda alert, however many of its events change
  std::int64_t messages() const { return attendee_messages + alert_messages; }
};

struct PublishResult {
  SnapshotInfo snapshot;              ///< the live snapshot after the call
  bool unchanged = false;             ///< nothing differed from the live snapshot; no new snapshot
  std::vector<EventChange> changes;   ///< the changelog of this publish
  std::int64_t notices = 0;           ///< attendees the publish wrote outbox rows for (before folding)
};

class Publisher {
 public:
  /// `on_live_changed` runs after a successful publish or rollback (e.g. to
  /// swap this instance's programme at once; others learn through NOTIFY or polling).
  Publisher(Store& store, const Clock& clock, std::function<void()> on_live_changed = {});

  /// Publishes the working state (every non-draft event). When its content
  /// equals the live snapshot, returns that one with unchanged = true.
  /// Throws StoreError (the previous snapshot stays live).
  PublishResult publish(const std::string& author, const std::string& note);

  /// Makes snapshot `number` live again. Throws PublishError when there is no such snapshot.
  PublishResult rollback(std::int64_t number, const std::string& author, const std::string& note);

  /// Working state against the live snapshot (everything is "added" when nothing is live).
  std::vector<EventChange> pending_changes();
  /// The notifications publishing now would write: to attendees, per event,
  /// and to agenda alerts following the events (one message per alert).
  /// Throws StoreError.
  NoticesPreview preview_notices();
  NoticesPreview preview_notices(const std::vector<EventChange>& changes);

  /// The installation's notification settings (store settings, defaults on first use).
  NotifySettings notify_settings();
  /// Stores new settings (fields must be notifiable_fields()) with the audit
  /// entry "notification_settings" for `actor`, in one transaction. Throws StoreError.
  void set_notify_settings(const NotifySettings& s, const std::string& actor);
  /// Snapshot `from` against snapshot `to`. Throws PublishError for an unknown number.
  std::vector<EventChange> diff(std::int64_t from, std::int64_t to);

  /// The events of a snapshot. Throws PublishError / SnapshotFormatError.
  std::vector<Event> snapshot_events(std::int64_t number);
  /// The events of the live snapshot (none before the first publish).
  /// Throws SnapshotFormatError.
  std::vector<Event> live_events();

 private:
  PublishNotices notices_for(const std::vector<EventChange>& changes, std::int64_t* attendees);

  Store& store_;
  const Clock& clock_;
  std::function<void()> on_live_changed_;
};

}  // namespace marquee
