#include "app/event_delete.hpp"

#include "app/snapshot_codec.hpp"

namespace marquee {

Store::DeleteOutcome delete_events(Store& store, const Clock& clock, const std::vector<std::string>& keys,
                                   const std::string& actor) {
  const UnixSeconds now = clock.now();
  return store.delete_events(keys, now, [&](const Event& e) {
    return AuditEntry{0, now, actor, "delete_event", "event " + e.key, encode_snapshot({e}), ""};
  });
}

Event restore_deleted_event(Store& store, const Clock& clock, std::int64_t audit_id, const std::string& actor) {
  const auto entry = store.find_audit(audit_id);
  if (!entry || entry->action != "delete_event") throw RestoreRefused("audit entry " + std::to_string(audit_id) + " is not a deleted event");
  std::vector<Event> events;
  try {
    events = decode_snapshot(entry->before);
  } catch (const SnapshotFormatError& e) {
    throw RestoreRefused(std::string("the audit entry cannot be read: ") + e.what());
  }
  if (events.size() != 1) throw RestoreRefused("the audit entry holds no single event");
  Event e = events.front();
  if (store.find_event(e.key)) throw RestoreRefused("an event with the key " + e.key + " exists again; edit that one instead");
  e.version = 0;
  store.upsert_events({e}, clock.now());
  store.audit(AuditEntry{0, clock.now(), actor, "restore_event", "event " + e.key, "", "from audit entry " + std::to_string(audit_id)});
  return *store.find_event(e.key);
}

std::vector<std::string> demo_event_keys(Store& store) {
  std::vector<std::string> keys;
  for (const auto& e : store.events_with_key_prefix("hl27-"))
    if (e.source_file == "programme.csv" && e.key.starts_with("hl27-")) keys.push_back(e.key);
  return keys;
}

Store::DeleteOutcome remove_demo_programme(Store& store, const Clock& clock, const std::string& actor) {
  auto out = delete_events(store, clock, demo_event_keys(store), actor);
  store.audit(AuditEntry{0, clock.now(), actor, "remove_demo", "demo programme",
                         "", std::to_string(out.deleted.size()) + " deleted, " + std::to_string(out.refused.size()) +
                                 " kept (they have registrations)"});
  return out;
}

}  // namespace marquee
