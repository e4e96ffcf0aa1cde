#include "app/reminders.hpp"

#include "core/notification.hpp"
#include "core/reminders.hpp"

namespace marquee {

std::vector<UnixSeconds> Reminders::offsets() {
  // A read only: the job asks every minute, the console on every page view.
  const auto stored = store_.settings_with_prefix("reminder_offsets");
  const auto it = stored.find("reminder_offsets");
  std::string error;
  return it == stored.end() ? std::vector<UnixSeconds>{}
                            : parse_reminder_offsets(it->second, &error).value_or(std::vector<UnixSeconds>{});
}

std::map<std::string, std::vector<UnixSeconds>> Reminders::event_offsets() {
  std::map<std::string, std::vector<UnixSeconds>> out;
  for (const auto& [key, text] : store_.reminder_overrides()) {
    std::string error;
    out[key] = parse_reminder_offsets(text, &error).value_or(std::vector<UnixSeconds>{});
  }
  return out;
}

std::optional<std::string> Reminders::set_offsets(const std::string& text, const std::string& actor) {
  std::string error;
  const auto parsed = parse_reminder_offsets(text, &error);
  if (!parsed) return error;
  const std::string before = format_reminder_offsets(offsets()), after = format_reminder_offsets(*parsed);
  if (before == after) return std::nullopt;  // unchanged: nothing to save or audit
  store_.save_settings({{"reminder_offsets", after}},
                       AuditEntry{0, clock_.now(), actor, "reminder_settings", "reminders", before.empty() ? "off" : before,
                                  after.empty() ? "off" : after});
  return std::nullopt;
}

std::int64_t Reminders::enqueue(const std::vector<ProgrammeEntry>& live, std::optional<UnixSeconds> at) {
  NotifySettings s;
  s.reminder_offsets = offsets();
  s.event_reminder_offsets = event_offsets();
  if (s.reminder_offsets.empty() && s.event_reminder_offsets.empty()) return 0;
  const UnixSeconds now = at.value_or(clock_.now());
  std::vector<ReminderSlot> slots;
  for (const auto& entry : live) {
    const Event& e = entry.event;
    if (e.status == EventStatus::cancelled || e.starts_at <= now) continue;  // the store finds who registered
    for (const UnixSeconds offset : s.reminders_for(e.key)) {
      const UnixSeconds due = e.starts_at - offset;
      // Up to an hour late (a server that was down catches up); a moment long past is not sent at all.
      if (due <= now + kHorizon && due > now - kHorizon) slots.push_back({e.key, e.starts_at, offset});
    }
  }
  return store_.enqueue_reminders(slots, now);
}

}  // namespace marquee
