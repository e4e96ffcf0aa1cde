#pragma once
// Reminders before an event (issue 21; docs/notifications.md, "Reminders"):
// the installation's offsets (setting "reminder_offsets", e.g. "24h, 2h";
// none by default), and the job that writes each reminder into the outbox
// ahead of its moment. Delivery (Notifier) checks again at send time: only
// confirmed or checked-in attendees, not after the start, not for a cancelled
// or moved event. Called every minute by `marquee serve`, by the cron job
// "reminders" and by `marquee notify remind`.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/programme.hpp"
#include "core/reminders.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class Reminders {
 public:
  /// Rows are written this long before they are due (seconds), so a job that
  /// runs every minute, or a server down for a while, still writes each once.
  static constexpr UnixSeconds kHorizon = kReminderWindow;

  Reminders(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// The offsets now, longest first (seconds before the start; none = off).
  std::vector<UnixSeconds> offsets();
  /// Events with their own offsets (console → Attendees → the event; invalid
  /// stored text counts as none): key → offsets, empty = no reminders.
  std::map<std::string, std::vector<UnixSeconds>> event_offsets();
  /// Saves `text` ("24h, 2h"; "" or "off" for none) and audits
  /// "reminder_settings" as `actor` (nothing when unchanged). Returns the
  /// reason when `text` is not valid (nothing saved). Throws StoreError.
  std::optional<std::string> set_offsets(const std::string& text, const std::string& actor);
  /// Writes the reminders of every event in `live` (the live programme) that
  /// has not started and is not cancelled, at the event's own offsets or else
  /// the installation's, whose moment (start − offset) is
  /// less than kHorizon from `now` (default: the clock) either way: an hour
  /// ahead, or up to an hour late after an outage; a moment long past (an
  /// event moved to sooner, reminders switched on late) is not sent. Returns
  /// how many rows were written. Throws StoreError.
  std::int64_t enqueue(const std::vector<ProgrammeEntry>& live, std::optional<UnixSeconds> now = std::nullopt);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
