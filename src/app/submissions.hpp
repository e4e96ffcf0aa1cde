#pragma once
// Host submissions: a public form proposes a new event or a change to one;
// moderators approve it into the working state (optionally after editing
// it) or reject it with a reason the host sees on a private status link.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/import_report.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct SubmissionOptions {
  int limit_per_address = 5;     ///< submissions per window from one client address
  int window_seconds = 3600;
  std::string default_zone = "UTC";  ///< IANA zone for a new event when the form names none
};

/// What a host sends. `fields`: event fields by name (host_fields() only).
struct SubmissionForm {
  std::string target_key;  ///< "" = propose a new event, else the key of the event to change
  std::map<std::string, std::string> fields;
  std::string host_name;
  std::string host_email;
  std::string note;
};

struct SubmitOutcome {
  enum class Result { accepted, invalid, rate_limited, unknown_event } result = Result::invalid;
  std::vector<RowIssue> errors;  ///< for invalid: field and message (line 0)
  int retry_after = 0;           ///< seconds, for rate_limited
  std::int64_t id = 0;
  std::string token;             ///< for accepted: the private status-link token (shown once)
};

struct DecisionOutcome {
  enum class Result { approved, rejected, not_found, not_pending, invalid, conflict } result = Result::not_found;
  std::vector<RowIssue> errors;  ///< for invalid
  Submission submission;         ///< after the call (when found)
  Event current;                 ///< for conflict: the event as it is now
};

class SubmissionService {
 public:
  SubmissionService(Store& store, const Clock& clock, SubmissionOptions options = {});

  /// The event fields a host may propose (no capacity, status or registration settings).
  static const std::vector<std::string>& host_fields();

  /// Validates and stores a pending submission. Rate-limited per `address`
  /// in the store (shared by instances). For an update only the fields sent
  /// non-empty change. Throws StoreError.
  SubmitOutcome submit(const SubmissionForm& form, const std::string& address);

  /// The submission behind a status-link token.
  std::optional<Submission> find_by_token(const std::string& token);

  /// The proposed fields of a submission (field → text).
  static std::map<std::string, std::string> proposed_fields(const Submission& s);

  /// The event the submission proposes: for an update the CURRENT event with
  /// the proposed fields (and `edits`) applied, for a new one a fresh event
  /// with the key it gets on approval. Field errors go to `errors`.
  Event proposed_event(const Submission& s, const std::map<std::string, std::string>& edits,
                       std::vector<RowIssue>* errors);

  /// Writes the proposed event (with `edits` applied over it: a moderator's
  /// corrections, field → text) into the working state, then marks the
  /// submission approved; audits "submission_approve". An update whose event
  /// changed since the moderator opened it (`seen_version`, 0 = do not check)
  /// is a conflict. Throws StoreError.
  DecisionOutcome approve(std::int64_t id, const std::map<std::string, std::string>& edits, std::int64_t seen_version,
                          const std::string& actor);
  /// Marks it rejected with `reason` (required, shown to the host); audits
  /// "submission_reject".
  DecisionOutcome reject(std::int64_t id, const std::string& reason, const std::string& actor);

 private:
  Store& store_;
  const Clock& clock_;
  SubmissionOptions options_;
};

}  // namespace marquee
