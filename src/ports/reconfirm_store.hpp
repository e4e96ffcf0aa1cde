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
  /// asked yet, and not promoted from the waiting list after that moment, is
  /// marked asked at `now`, with its own deadline (core reconfirm_deadline:
  /// the release time, never less than kMinReconfirmWindow away) and its
  /// reconfirm_request outbox row (dedup key "reconfirm_request:<id>:<now>").
  /// Returns how many were asked. Throws StoreError.
  virtual std::int64_t ask_reconfirmations(UnixSeconds now) = 0;
  /// Every confirmed, not erased registration asked and not reconfirmed
  /// whose own deadline has come, whose question was sent (outbox row sent)
  /// at least an hour before that deadline, at a published event with a
  /// capacity that has not started, is cancelled (history "not reconfirmed"),
  /// told (reconfirm_released), and its place goes to the waiting list. One
  /// transaction per event. Returns how many places were released. Throws StoreError.
  virtual std::int64_t release_unreconfirmed(UnixSeconds now) = 0;
  /// "Yes, I'm coming" from the attendee with this token hash: recorded
  /// (history "reconfirmed") when they were asked and are still confirmed.
  virtual ReconfirmOutcome reconfirm(const std::string& token_hash, UnixSeconds now) = 0;
};

}  // namespace marquee
