#include "app/publisher.hpp"

#include "app/snapshot_codec.hpp"
#include "core/event_key.hpp"

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
  const std::vector<Event> events = public_events(store_.list_events());
  const std::string payload = encode_snapshot(events);
  const std::string hash = sha256_hex(payload);
  PublishResult result;
  if (auto live = store_.live_snapshot_number()) {
    auto current = store_.snapshot(*live);
    if (current && current->info.content_hash == hash) {
      result.snapshot = current->info;
      result.unchanged = true;
      return result;
    }
    result.changes = diff_programmes(decode_snapshot(current ? current->payload : ""), events);
  } else {
    result.changes = diff_programmes({}, events);
  }
  SnapshotInfo info;
  info.author = author;
  info.note = note;
  info.kind = "publish";
  info.content_hash = hash;
  info.event_count = static_cast<std::int64_t>(events.size());
  result.snapshot = store_.publish_snapshot(info, payload, result.changes, clock_.now());
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
  result.snapshot = store_.publish_snapshot(info, target->payload, result.changes, clock_.now());
  if (on_live_changed_) on_live_changed_();
  return result;
}

std::vector<EventChange> Publisher::pending_changes() {
  return diff_programmes(live_events(), public_events(store_.list_events()));
}

std::vector<EventChange> Publisher::diff(std::int64_t from, std::int64_t to) {
  return diff_programmes(snapshot_events(from), snapshot_events(to));
}

}  // namespace marquee
