#include "app/submissions.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/accounts.hpp"
#include "app/event_edit.hpp"
#include "core/event_key.hpp"
#include "core/registration.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

constexpr std::size_t kMaxNoteBytes = 4000;
constexpr std::size_t kMaxReasonBytes = 2000;

std::string encode_fields(const std::map<std::string, std::string>& fields) {
  boost::json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return boost::json::serialize(o);
}

RowIssue field_error(std::string field, std::string message) {
  RowIssue i;
  i.field = std::move(field);
  i.message = std::move(message);
  return i;
}

}  // namespace

SubmissionService::SubmissionService(Store& store, const Clock& clock, SubmissionOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

const std::vector<std::string>& SubmissionService::host_fields() {
  static const std::vector<std::string> fields = {"title", "description", "starts_at", "ends_at", "time_zone",
                                                  "venue", "address", "room", "category", "tags", "organizer",
                                                  "url", "image_url", "price"};
  return fields;
}

std::map<std::string, std::string> SubmissionService::proposed_fields(const Submission& s) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(s.payload, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.as_object())
    if (val.is_string()) out[std::string(k)] = std::string(val.as_string());
  return out;
}

Event SubmissionService::proposed_event(const Submission& s, const std::map<std::string, std::string>& edits,
                                        std::vector<RowIssue>* errors) {
  auto fields = proposed_fields(s);
  for (const auto& [k, v] : edits) fields[k] = v;
  Event e;
  const bool update = !s.target_key.empty();
  if (update) {
    if (auto current = store_.find_event(s.target_key)) e = *current;
    else if (errors) errors->push_back(field_error("target_key", "the event '" + s.target_key + "' no longer exists"));
  } else {
    e.status = EventStatus::published;
    e.time_zone = options_.default_zone;
    e.source_file = "submission";
    e.source_record = "submission " + std::to_string(s.id);
  }
  auto apply = [&](const std::string& f) {
    auto it = fields.find(f);
    if (it == fields.end() || (update && trim(it->second).empty())) return;
    if (!update && trim(it->second).empty()) return;
    if (auto why = set_field_text(e, f, it->second); why && errors) errors->push_back(field_error(f, *why));
  };
  apply("time_zone");  // first: the dates are read in it
  for (const auto& f : host_fields())
    if (f != "time_zone") apply(f);
  if (!update) {
    if (trim(fields["title"]).empty() && errors) errors->push_back(field_error("title", "a title is required"));
    if (trim(fields["starts_at"]).empty() && errors) errors->push_back(field_error("starts_at", "a start is required"));
    e.key = derive_event_key("submission", std::to_string(s.id), e.title.empty() ? "event" : e.title);
  }
  if (errors && errors->empty())
    for (auto& i : revalidate(e, clock_.now())) errors->push_back(std::move(i));
  return e;
}

SubmitOutcome SubmissionService::submit(const SubmissionForm& form, const std::string& address) {
  SubmitOutcome out;
  const UnixSeconds now = clock_.now();
  if (int wait = store_.hit_rate_limit("submit:address:" + address, options_.limit_per_address,
                                       options_.window_seconds, now);
      wait > 0) {
    out.result = SubmitOutcome::Result::rate_limited;
    out.retry_after = wait;
    return out;
  }
  Submission s;
  s.target_key = trim(form.target_key);
  std::optional<Event> current;
  if (!s.target_key.empty()) {
    current = store_.find_event(s.target_key);
    if (!current || current->status == EventStatus::draft) {
      out.result = SubmitOutcome::Result::unknown_event;
      return out;
    }
  }
  for (const auto& [f, m] : check_attendee(form.host_name, form.host_email))
    out.errors.push_back(field_error(f == "name" ? "host_name" : "host_email", m));
  if (form.note.size() > kMaxNoteBytes)
    out.errors.push_back(field_error("note", "is longer than " + std::to_string(kMaxNoteBytes) + " bytes"));
  std::map<std::string, std::string> fields;
  for (const auto& f : host_fields())
    if (auto it = form.fields.find(f); it != form.fields.end() && !trim(it->second).empty()) fields[f] = it->second;
  s.payload = encode_fields(fields);
  std::vector<RowIssue> event_errors;
  Event proposed = proposed_event(s, {}, &event_errors);
  for (auto& i : event_errors) out.errors.push_back(std::move(i));
  if (current && out.errors.empty() && same_content(proposed, *current))
    out.errors.push_back(field_error("", "nothing would change: fill in the fields that should be different"));
  if (!out.errors.empty()) return out;
  s.host_name = collapse_whitespace(form.host_name);
  s.host_email = normalize_email(form.host_email).value_or(form.host_email);
  s.note = trim(form.note);
  s.state = SubmissionState::pending;
  s.created_at = now;
  out.token = random_token();
  s.token_hash = sha256_hex(out.token);
  out.id = store_.add_submission(s);
  out.result = SubmitOutcome::Result::accepted;
  return out;
}

std::optional<Submission> SubmissionService::find_by_token(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  return store_.find_submission_by_token(sha256_hex(token));
}

DecisionOutcome SubmissionService::approve(std::int64_t id, const std::map<std::string, std::string>& edits,
                                           std::int64_t seen_version, const std::string& actor) {
  DecisionOutcome out;
  auto s = store_.find_submission(id);
  if (!s) return out;
  out.submission = *s;
  if (s->state != SubmissionState::pending) {
    out.result = DecisionOutcome::Result::not_pending;
    return out;
  }
  std::map<std::string, std::string> host_edits;
  for (const auto& f : host_fields())
    if (auto it = edits.find(f); it != edits.end()) host_edits[f] = it->second;
  Event e = proposed_event(*s, host_edits, &out.errors);
  if (!out.errors.empty()) {
    out.result = DecisionOutcome::Result::invalid;
    return out;
  }
  const UnixSeconds now = clock_.now();
  std::string before;
  if (s->target_key.empty()) {
    store_.upsert_events({e}, now);
  } else {
    auto current = store_.find_event(s->target_key);
    if (!current) {
      out.errors.push_back(field_error("target_key", "the event '" + s->target_key + "' no longer exists"));
      out.result = DecisionOutcome::Result::invalid;
      return out;
    }
    if (seen_version != 0 && current->version != seen_version) {
      out.current = *current;
      out.result = DecisionOutcome::Result::conflict;
      return out;
    }
    EditOutcome edit = store_.edit_event(e, current->version, now);
    if (edit.result == EditResult::conflict || edit.result == EditResult::not_found) {
      out.current = edit.current;
      out.result = DecisionOutcome::Result::conflict;
      return out;
    }
    before = "version " + std::to_string(current->version);
  }
  auto fields = proposed_fields(*s);
  for (const auto& [k, v] : host_edits) fields[k] = v;
  Submission decided = *s;
  decided.state = SubmissionState::approved;
  decided.event_key = e.key;
  decided.payload = encode_fields(fields);
  decided.decided_at = now;
  decided.decided_by = actor;
  if (!store_.decide_submission(decided)) {
    out.result = DecisionOutcome::Result::not_pending;
    out.submission = store_.find_submission(id).value_or(*s);
    return out;
  }
  store_.audit(AuditEntry{0, now, actor, "submission_approve", "submission " + std::to_string(id), before,
                          "event " + e.key});
  out.submission = decided;
  out.result = DecisionOutcome::Result::approved;
  return out;
}

DecisionOutcome SubmissionService::reject(std::int64_t id, const std::string& reason, const std::string& actor) {
  DecisionOutcome out;
  auto s = store_.find_submission(id);
  if (!s) return out;
  out.submission = *s;
  if (s->state != SubmissionState::pending) {
    out.result = DecisionOutcome::Result::not_pending;
    return out;
  }
  const std::string why = trim(reason);
  if (why.empty() || why.size() > kMaxReasonBytes) {
    out.errors.push_back(field_error("reason", why.empty() ? "give the host a reason"
                                                            : "is longer than " + std::to_string(kMaxReasonBytes) + " bytes"));
    out.result = DecisionOutcome::Result::invalid;
    return out;
  }
  Submission decided = *s;
  decided.state = SubmissionState::rejected;
  decided.reason = why;
  decided.decided_at = clock_.now();
  decided.decided_by = actor;
  if (!store_.decide_submission(decided)) {
    out.result = DecisionOutcome::Result::not_pending;
    return out;
  }
  store_.audit(AuditEntry{0, clock_.now(), actor, "submission_reject", "submission " + std::to_string(id), "", why});
  out.submission = decided;
  out.result = DecisionOutcome::Result::rejected;
  return out;
}

}  // namespace marquee
