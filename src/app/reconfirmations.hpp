#pragma once
// Reconfirmation, the first part of no-show management (issue 21;
// docs/registrations.md "Still coming?"): per event (EventOperations
// reconfirm_hours, reconfirm_release_hours), confirmed attendees are asked a
// set time before the start and answer from their personal page ("Yes, I'm
// coming" or "Release my place", which cancels and gives the place to the
// waiting list at once); optionally, those asked who did not answer by the
// deadline lose their place (and are told). The job runs every minute in
// `marquee serve`, as the cron job "reconfirm" and as
// `marquee attendees reconfirm [--at T]` (the clock seam).
#include <optional>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct ReconfirmRun {
  std::int64_t asked = 0;     ///< "Still coming?" messages written
  std::int64_t released = 0;  ///< places released for want of an answer
};

class Reconfirmations {
 public:
  Reconfirmations(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// Asks those due and releases the places past their deadline, as of `at`
  /// (default: the clock). Throws StoreError.
  ReconfirmRun run(std::optional<UnixSeconds> at = std::nullopt);
  /// "Yes, I'm coming" from the attendee with personal token `token`.
  ReconfirmOutcome reconfirm(const std::string& token);
  /// "Release my place": the registration is cancelled (history "released at
  /// reconfirmation"), the place goes to the waiting list. Only while
  /// confirmed; see Store::cancel_registration for the outcome.
  CancelOutcome release(const std::string& token);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
