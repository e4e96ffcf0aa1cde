#pragma once
// The admission rule: whether each registration request for one event gets a
// place, a waiting-list entry, the earlier answer again, or a refusal. Pure:
// the store fetches the event's facts, the earlier idempotency keys and the
// e-mails already registered (under the event's counter lock), calls admit(),
// and writes what it decided. No I/O.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// What happened to one registration request.
enum class RegisterResult {
  confirmed,             ///< a place was taken (HTTP 201)
  waitlisted,            ///< full; joined the waiting list (HTTP 202)
  replayed,              ///< same Idempotency-Key and request as before: the first answer again
  full,                  ///< full and no waiting list (HTTP 409)
  duplicate_email,       ///< that e-mail already holds an active registration for the event (409)
  idempotency_mismatch,  ///< the Idempotency-Key was used for a different request (422)
  event_not_found,       ///< no such event (404)
  registration_closed,   ///< not published, registration off, or the event has started (409)
};

/// True when an event takes registrations at `now` (UTC seconds): published,
/// registration on, and not yet started (closed from `starts_at` on).
bool registration_open(bool published, bool registration, UnixSeconds starts_at, UnixSeconds now);
bool registration_open(const Event& e, UnixSeconds now);

/// The event as the store read it under its counter lock.
struct AdmissionFacts {
  bool open = false;                      ///< registration_open(...) at the decision time
  bool waitlist = false;                  ///< full events take waiting-list entries
  std::optional<std::int64_t> capacity;   ///< nullopt = unlimited; 0 = no places at all
  std::int64_t confirmed = 0;             ///< places taken (confirmed and checked in)
};

/// One request, as much of it as the rule needs.
struct AdmissionRequest {
  std::string email;            ///< lower-cased
  std::string idempotency_key;  ///< "" = none
  std::string request_hash;     ///< tells a retry from another request under the same key
};

/// An earlier registration of this event holding an idempotency key.
struct PriorKey {
  std::int64_t registration_id = 0;
  std::string request_hash;
};

/// The decision for one request.
struct Admission {
  RegisterResult result = RegisterResult::full;
  std::int64_t prior_id = 0;                 ///< replayed/mismatch against a stored registration: its id
  std::optional<std::size_t> same_batch_as;  ///< replayed within this batch: the index of the request written
  bool write() const { return result == RegisterResult::confirmed || result == RegisterResult::waitlisted; }
};

/// The decisions for a batch, in the requests' order, and what they add to the counter.
struct AdmissionPlan {
  std::vector<Admission> admissions;
  std::int64_t add_confirmed = 0;
  std::int64_t add_waitlisted = 0;
};

/// Decides `requests` (all for one event, in arrival order). The checks, in
/// order: an idempotency key seen before (stored in `prior`, keyed by the
/// key, or written earlier in this batch) answers `replayed` when the request
/// hash matches, else `idempotency_mismatch`; a closed event refuses
/// (`registration_closed`); an e-mail in `active_emails` or registered
/// earlier in the batch is `duplicate_email`; then a free place
/// (`confirmed < capacity`, or no capacity) confirms, a full event with a
/// waiting list waitlists, otherwise `full`. Never confirms past capacity.
AdmissionPlan admit(const AdmissionFacts& event, const std::vector<AdmissionRequest>& requests,
                    const std::map<std::string, PriorKey>& prior, std::set<std::string> active_emails);

/// How each result is told: the HTTP status, the RFC 9457 problem type and
/// title (for refusals), and the sentence on the HTML registration form.
struct RegisterResultText {
  int status = 0;                ///< 201, 202, 404, 409, 422; 0 for replayed (the first answer's status)
  std::string_view problem_type;  ///< "/problems/event-full", … ("" for successes)
  std::string_view title;         ///< "Event full", …
  std::string_view page_message;  ///< the form's message ("" for successes)
};
const RegisterResultText& register_result_text(RegisterResult r);

/// The problem `detail` for a refusal: names the event key (not found) and
/// the capacity (full, when known).
std::string register_result_detail(RegisterResult r, std::string_view event_key, std::optional<std::int64_t> capacity);

}  // namespace marquee
