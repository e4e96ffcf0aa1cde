#include "core/admission.hpp"

namespace marquee {

bool registration_open(bool published, bool registration, UnixSeconds starts_at, UnixSeconds now) {
  return published && registration && starts_at > now;
}

bool registration_open(const Event& e, UnixSeconds now) {
  return registration_open(e.status == EventStatus::published, e.registration, e.starts_at, now);
}

AdmissionPlan admit(const AdmissionFacts& event, const std::vector<AdmissionRequest>& requests,
                    const std::map<std::string, PriorKey>& prior, std::set<std::string> active_emails) {
  AdmissionPlan plan;
  plan.admissions.resize(requests.size());
  std::int64_t confirmed = event.confirmed;
  std::map<std::string, std::size_t> batch_keys;  // idempotency key → index of the request written in this batch
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const AdmissionRequest& req = requests[i];
    Admission& a = plan.admissions[i];
    if (!req.idempotency_key.empty()) {
      if (auto p = prior.find(req.idempotency_key); p != prior.end()) {
        a.result = p->second.request_hash == req.request_hash ? RegisterResult::replayed
                                                              : RegisterResult::idempotency_mismatch;
        a.prior_id = p->second.registration_id;
        continue;
      }
      if (auto b = batch_keys.find(req.idempotency_key); b != batch_keys.end()) {
        // A concurrent retry of a request in this same batch.
        const bool same = requests[b->second].request_hash == req.request_hash;
        a.result = same ? RegisterResult::replayed : RegisterResult::idempotency_mismatch;
        if (same) a.same_batch_as = b->second;
        continue;
      }
    }
    if (!event.open) {
      a.result = RegisterResult::registration_closed;
      continue;
    }
    if (active_emails.count(req.email)) {
      a.result = RegisterResult::duplicate_email;
      continue;
    }
    if (!event.capacity || confirmed < *event.capacity) {
      a.result = RegisterResult::confirmed;
      ++confirmed;
      ++plan.add_confirmed;
    } else if (event.waitlist) {
      a.result = RegisterResult::waitlisted;
      ++plan.add_waitlisted;
    } else {
      a.result = RegisterResult::full;
      continue;
    }
    active_emails.insert(req.email);
    if (!req.idempotency_key.empty()) batch_keys[req.idempotency_key] = i;
  }
  return plan;
}

const RegisterResultText& register_result_text(RegisterResult r) {
  static const RegisterResultText confirmed{201, "", "", ""};
  static const RegisterResultText waitlisted{202, "", "", ""};
  static const RegisterResultText replayed{0, "", "", ""};
  static const RegisterResultText full{409, "/problems/event-full", "Event full",
                                       "Sorry, the last place was just taken."};
  static const RegisterResultText duplicate{
      409, "/problems/already-registered", "Already registered",
      "This e-mail address is already registered for this event. Your confirmation holds your personal link."};
  static const RegisterResultText mismatch{422, "/problems/idempotency-key-reused", "Idempotency-Key reused",
                                           "This request was already used for a different registration; please try again."};
  static const RegisterResultText not_found{404, "/problems/event-not-found", "Event not found",
                                            "There is no event with this address in the programme."};
  static const RegisterResultText closed{409, "/problems/registration-closed", "Registration closed",
                                         "Registration is closed for this event."};
  switch (r) {
    case RegisterResult::confirmed: return confirmed;
    case RegisterResult::waitlisted: return waitlisted;
    case RegisterResult::replayed: return replayed;
    case RegisterResult::full: return full;
    case RegisterResult::duplicate_email: return duplicate;
    case RegisterResult::idempotency_mismatch: return mismatch;
    case RegisterResult::event_not_found: return not_found;
    case RegisterResult::registration_closed: return closed;
  }
  return not_found;
}

std::string register_result_detail(RegisterResult r, std::string_view event_key, std::optional<std::int64_t> capacity) {
  switch (r) {
    case RegisterResult::full:
      return "All " + (capacity ? std::to_string(*capacity) + " " : std::string()) +
             "places are taken and this event has no waiting list.";
    case RegisterResult::duplicate_email: return "This e-mail address is already registered for this event.";
    case RegisterResult::idempotency_mismatch:
      return "This Idempotency-Key was used for a different registration; use a new key.";
    case RegisterResult::event_not_found: return "No event has the key '" + std::string(event_key) + "'";
    case RegisterResult::registration_closed:
      return "Registration is not open for this event (it has started, or registration is off).";
    default: return "";
  }
}

}  // namespace marquee
