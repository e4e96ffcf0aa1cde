#pragma once
// The reconfirmation port (issue 21, no-show management;
// migrations/<backend>/0019_reconfirmation.sql): asking confirmed attendees
// "Still coming?" a set time before the start, their answer, and releasing
// the places of those asked who did not answer by the deadline. Each event's
// asks and releases are one transaction that locks its counter row first,
// like every registration change, so a released place goes to the waiting
// list exactly once.
#include <cstdint>
#include <string>

#include "core/event_operations.hpp"
#include "core/registration.hpp"

namespace marquee {

struct ReconfirmOutcome {
  ReconfirmAnswer result = ReconfirmAnswer::not_found;
  Registration registration;  ///< after the call (when found)
};

class ReconfirmStore {
 public:
  virtual ~ReconfirmStore() = default;

  /// For each published event with reconfirmation on whose ask moment
  /// (start − reconfirm_hours) has come and which has not started: every
  /// confirmed registration with an e-mail, made before that moment and not
  /// asked yet, is marked asked at `now` with its reconfirm_request outbox
  /// row (dedup key "reconfirm_request:<id>"). Later registrants are never
  /// asked (they just confirmed). Returns how many were asked. Throws StoreError.
  virtual std::int64_t ask_reconfirmations(UnixSeconds now) = 0;
  /// For each event with a release deadline (start − reconfirm_release_hours)
  /// reached and not started: every confirmed registration asked and not
  /// reconfirmed is cancelled (history "not reconfirmed"), told
  /// (reconfirm_released), and its place goes to the waiting list. Returns
  /// how many places were released. Throws StoreError.
  virtual std::int64_t release_unreconfirmed(UnixSeconds now) = 0;
  /// "Yes, I'm coming" from the attendee with this token hash: recorded
  /// (history "reconfirmed") when they were asked and are still confirmed.
  virtual ReconfirmOutcome reconfirm(const std::string& token_hash, UnixSeconds now) = 0;
};

}  // namespace marquee
