#include "core/submission.hpp"

namespace marquee {

std::string_view to_string(SubmissionState s) {
  switch (s) {
    case SubmissionState::pending: return "pending";
    case SubmissionState::approved: return "approved";
    case SubmissionState::rejected: return "rejected";
  }
  return "pending";
}

std::optional<SubmissionState> parse_submission_state(std::string_view s) {
  for (auto v : {SubmissionState::pending, SubmissionState::approved, SubmissionState::rejected})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

}  // namespace marquee
