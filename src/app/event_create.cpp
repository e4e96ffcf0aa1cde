#include "app/event_create.hpp"

#include "app/event_edit.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {

EventCreate create_event(Store& store, const Clock& clock, const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& key_text, const std::string& default_zone, const std::string& actor) {
  EventCreate out;
  Event& e = out.event;
  e.status = EventStatus::draft;
  e.time_zone = default_zone;
  e.source_file = "console";
  e.source_record = actor;
  auto error = [&](const std::string& field, const std::string& message) {
    out.errors.push_back(RowIssue{0, field, message, Severity::error, e.key});
  };
  for (const auto& [field, text] : fields)
    if (auto why = set_field_text(e, field, text)) error(field, *why);
  std::string key = trim(key_text);
  if (key.empty() && !e.title.empty())
    key = derive_event_key("console", e.title + "\x1f" + std::to_string(clock.now()), e.title);
  if (auto k = normalize_explicit_key(key)) e.key = *k;
  else error("key", "use letters, digits, '.', '_' and '-' (at most 80)");
  if (out.errors.empty()) out.errors = revalidate(e, clock.now());
  if (!out.errors.empty()) return out;
  try {
    out.created = store.create_event(e, clock.now(), AuditEntry{0, clock.now(), actor, "create", "event " + e.key, "", e.title});
    if (!out.created) error("key", "an event with this key exists already");
  } catch (const CapacityBelowConfirmed& ex) {
    error("capacity", ex.what());
  }
  return out;
}

}  // namespace marquee
