#include "app/publisher.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <set>

#include "app/reminders.hpp"

#include "app/snapshot_codec.hpp"
#include "core/event_key.hpp"
#include "core/programme_order.hpp"
#include "core/text.hpp"

namespace marquee {

Publisher::Publisher(Store& store, const Clock& clock, std::function<void()> on_live_changed)
    : store_(store), clock_(clock), on_live_changed_(std::move(on_live_changed)) {}

std::vector<Event> Publisher::snapshot_events(std::int64_t number) {
  auto s = store_.snapshot(number);
  if (!s) throw PublishError("there is no snapshot " + std::to_string(number));
  return decode_snapshot(s->payload);
}

std::vector<Event> Publisher::live_events() {
  auto live = store_.live_snapshot_number();
  return live ? snapshot_events(*live) : std::vector<Event>{};
}

PublishResult Publisher::publish(const std::string& author, const std::string& note) {
  // The live snapshot is read and decoded on another thread while the working programme is
  // read and encoded; without one, every event is added, and that diff runs while the
  // payload is encoded. (The futures wait in their destructors: nothing outlives its data.)
  // A publish of the same programme again decodes the live snapshot for nothing: rare, and
  // it returns before anything else is made.
  struct LiveSide {
    std::optional<Snapshot> snapshot;
    std::string hash;  // SHA-256 of its payload as read (not the stored content_hash, which a restore copies as it was)
    std::vector<Event> events;
  };
  std::future<LiveSide> reading_live;
  if (const auto live = store_.live_snapshot_number())
    reading_live = std::async(std::launch::async, [this, number = *live] {
      LiveSide side;
      side.snapshot = store_.snapshot(number);
      if (side.snapshot) {
        side.hash = sha256_hex(side.snapshot->payload);
        side.events = decode_snapshot(side.snapshot->payload);
      }
      return side;
    });
  // The working programme's public events as the store reads them (no count first), and
  // their programme order as pointers: none of them is moved into order. Declared before the
  // futures below, whose destructors wait for the work that reads them.
  const EventBlocks read = store_.read_public_events();
  const std::vector<const Event*> events = programme_order_of(read);
  std::future<std::vector<EventChange>> adding_all;
  if (!reading_live.valid())
    adding_all = std::async(std::launch::async, [&events] { return diff_programmes_by_pointer({}, events); });
  // Encoded in parts on their own threads, each piece compressed and hashed as it comes
  // (SnapshotStore::frame_payload): the 44 MB of a 100,000-event payload are never held whole.
  const FramedPayload payload = store_.frame_payload(
      snapshot_parts(events.size()),
      [&events, parts = snapshot_parts(events.size())](std::size_t part, const PayloadSink& sink) {
        encode_snapshot_part_by_pointer(events, part, parts, sink);
      });
  PublishResult result;
  if (reading_live.valid()) {
    LiveSide current = reading_live.get();
    // The same bytes: the same content hash (SHA-256) and size.
    const auto same_content = [&payload](std::string_view hash, std::size_t bytes) {
      return hash == payload.content_hash && bytes == payload.content_bytes;
    };
    if (current.snapshot && same_content(current.hash, current.snapshot->payload.size())) {
      result.snapshot = current.snapshot->info;
      result.unchanged = true;
      return result;
    }
    result.changes = diff_programmes_by_pointer(current.events, events);
    // No change but other bytes: a snapshot written in key order (before snapshots took the
    // programme's order). Its events encoded in today's order give these bytes: the same content.
    if (current.snapshot && result.changes.empty()) {
      const std::string reordered = encode_snapshot(public_events(std::move(current.events)));
      if (same_content(sha256_hex(reordered), reordered.size())) {
        result.snapshot = current.snapshot->info;
        result.unchanged = true;
        return result;
      }
    }
  } else {
    result.changes = adding_all.get();
  }
  SnapshotInfo info;
  info.author = author;
  info.note = note;
  info.kind = "publish";
  info.content_hash = payload.content_hash;
  info.event_count = static_cast<std::int64_t>(events.size());
  const AuditEntry audit{0, 0, author, "publish", "", "",
                         count_of(static_cast<std::int64_t>(result.changes.size()), "change", "changes") +
                             (note.empty() ? "" : "; " + note)};
  result.snapshot = store_.publish_snapshot(info, payload, result.changes, clock_.now(),
                                            notices_for(result.changes, &result.notices), &audit);
  if (on_live_changed_) on_live_changed_();
  return result;
}

PublishResult Publisher::rollback(std::int64_t number, const std::string& author, const std::string& note) {
  auto target = store_.snapshot(number);
  if (!target) throw PublishError("there is no snapshot " + std::to_string(number));
  PublishResult result;
  result.changes = diff_programmes(live_events(), decode_snapshot(target->payload));
  SnapshotInfo info = target->info;
  info.author = author;
  info.note = note.empty() ? "rollback to snapshot " + std::to_string(number) : note;
  info.kind = "rollback";
  info.based_on = number;
  const AuditEntry audit{0, 0, author, "rollback", "", "",
                         "based on snapshot " + std::to_string(number) + (note.empty() ? "" : "; " + note)};
  result.snapshot = store_.publish_snapshot(info, target->payload, result.changes, clock_.now(),
                                            notices_for(result.changes, &result.notices), &audit);
  if (on_live_changed_) on_live_changed_();
  return result;
}

std::vector<EventChange> Publisher::pending_changes() {
  return diff_programmes(live_events(), public_events(store_.list_public_events()));
}

NotifySettings Publisher::notify_settings() {
  NotifySettings s = parse_notify_settings(store_.ensure_setting("notify_fields", join(default_notify_fields(), ",")),
                                           store_.ensure_setting("notify_quiet_seconds", "600"),
                                           store_.ensure_setting("notify_max_delay_seconds", "3600"));
  Reminders reminders(store_, clock_);
  s.reminder_offsets = reminders.offsets();
  s.event_reminder_offsets = reminders.event_offsets();
  return s;
}

void Publisher::set_notify_settings(const NotifySettings& s, const std::string& actor) {
  const NotifySettings before = notify_settings();
  store_.save_settings({{"notify_fields", join(s.fields, ",")},
                        {"notify_quiet_seconds", std::to_string(s.quiet_seconds)},
                        {"notify_max_delay_seconds", std::to_string(s.max_delay_seconds)}},
                       AuditEntry{0, clock_.now(), actor, "notification_settings", "notify",
                                  join(before.fields, ",") + "; quiet " + std::to_string(before.quiet_seconds),
                                  join(s.fields, ",") + "; quiet " + std::to_string(s.quiet_seconds)});
}

PublishNotices Publisher::notices_for(const std::vector<EventChange>& changes, std::int64_t* attendees) {
  const NotifySettings s = notify_settings();
  PublishNotices n;
  n.event_keys = notifying_events(changes, s.fields);
  n.quiet_seconds = s.quiet_seconds;
  n.max_delay_seconds = s.max_delay_seconds;
  *attendees = 0;
  if (!n.event_keys.empty())
    for (const auto& [key, count] : store_.notifiable_counts(n.event_keys)) *attendees += count;
  return n;
}

NoticesPreview Publisher::preview_notices() { return preview_notices(pending_changes()); }

NoticesPreview Publisher::preview_notices(const std::vector<EventChange>& changes) {
  const NotifySettings s = notify_settings();
  const auto keys = notifying_events(changes, s.fields);
  NoticesPreview out;
  if (keys.empty()) return out;
  const auto counts = store_.notifiable_counts(keys);
  const AlertFollowers followers = store_.alert_followers(keys);
  const std::set<std::string> notifying(keys.begin(), keys.end());
  for (const auto& c : changes) {
    if (!notifying.contains(c.event_key)) continue;
    const auto attendees = counts.find(c.event_key);
    const auto following = followers.per_event.find(c.event_key);
    NoticePreview p{c.event_key, {}, c.kind, attendees == counts.end() ? 0 : attendees->second,
                    following == followers.per_event.end() ? 0 : following->second};
    if (p.attendees == 0 && p.followers == 0) continue;
    for (const auto& f : c.fields)
      if (std::find(s.fields.begin(), s.fields.end(), f) != s.fields.end()) p.fields.push_back(f);
    out.attendee_messages += p.attendees;
    out.events.push_back(std::move(p));
  }
  out.alert_messages = followers.alerts;
  return out;
}

std::vector<EventChange> Publisher::diff(std::int64_t from, std::int64_t to) {
  return diff_programmes(snapshot_events(from), snapshot_events(to));
}

}  // namespace marquee
