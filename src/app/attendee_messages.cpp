#include "app/attendee_messages.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "app/notifier.hpp"
#include "app/registration_service.hpp"
#include "core/datetime_text.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {

std::optional<UnixSeconds> AttendeeMessages::send_time(const std::string& text, std::string* error) const {
  const std::string t = trim(text);
  if (t.empty() || t == "now") return clock_.now();
  auto parsed = parse_datetime_text(t, DateOrder::ymd);
  if (!parsed || !parsed->has_time) {
    *error = "a date and time such as 2026-06-12T09:00 (in the festival's zone) or 2026-06-12T09:00:00+02:00";
    return std::nullopt;
  }
  try {
    return to_utc(*parsed, zone_ ? zone_() : std::string("UTC"));
  } catch (const std::exception& e) {
    *error = e.what();
    return std::nullopt;
  }
}

CheckedMessage AttendeeMessages::check(const MessageDraft& draft) {
  CheckedMessage out;
  AttendeeMessage& m = out.message;
  m.subject = trim(draft.subject);
  m.body = normalize_newlines(draft.body);
  std::set<std::string> seen;
  for (const auto& key : draft.event_keys) {
    const std::string k = trim(key);
    if (k.empty() || !seen.insert(k).second) continue;
    m.audience.event_keys.push_back(k);
  }
  if (auto states = parse_states(draft.states)) m.audience.states = *states;
  else m.audience.states.clear();
  std::string error;
  if (auto answers = parse_answer_conditions(draft.answers, &error)) m.audience.answers = *answers;
  out.errors = check_message(m);
  if (!parse_states(draft.states))
    for (auto& [field, message] : out.errors)
      if (field == "states") message = "only confirmed, waitlisted and checked_in (comma-separated)";
  if (!error.empty()) out.errors.emplace_back("answers", error);
  for (const auto& key : m.audience.event_keys)
    if (!store_.find_event(key)) {
      out.errors.emplace_back("events", "no event has the key '" + key + "'");
      break;
    }
  error.clear();
  const UnixSeconds now = clock_.now();
  if (auto at = send_time(draft.send_at, &error)) {
    m.send_at = *at;
    if (*at + 60 < now) out.errors.emplace_back("send_at", "this moment has passed; leave it empty to send now");
  } else {
    out.errors.emplace_back("send_at", error);
  }
  m.created_at = now;
  m.idempotency_key = draft.idempotency_key.substr(0, 200);
  if (out.errors.empty()) out.count = store_.count_audience(m.audience);
  return out;
}

CreatedMessage AttendeeMessages::create(const MessageDraft& draft, const std::string& actor) {
  CheckedMessage checked = check(draft);
  CreatedMessage out;
  out.errors = std::move(checked.errors);
  out.count = checked.count;
  if (!out.errors.empty()) return out;
  AttendeeMessage m = std::move(checked.message);
  m.created_by = actor;
  m.send_at = std::max(m.send_at, m.created_at);
  const UnixSeconds now = m.created_at;
  const auto [id, fresh] = store_.create_message(
      m, AuditEntry{0, now, actor, "message_create", "", "",
                    "\"" + m.subject + "\" to " + describe_audience(m.audience) + "; at " + format_utc(m.send_at)});
  if (fresh && m.send_at <= now) {
    try {
      send(id, actor);
    } catch (const StoreError& e) {
      // Stored and due: the job sends it within a minute. Answering with it keeps a retry from making a twin.
      spdlog::warn("message {}: stored, but sending it now failed ({}); the scheduled job sends it", id, e.what());
    }
  }
  out.message = store_.find_message(id);
  return out;
}

std::optional<std::int64_t> AttendeeMessages::send(std::int64_t id, const std::string& actor) {
  return send_as_of(id, actor, clock_.now());
}

std::optional<std::int64_t> AttendeeMessages::send_as_of(std::int64_t id, const std::string& actor, UnixSeconds now) {
  auto sent = store_.send_message(id, now, AuditEntry{0, now, actor, "message_send", "message " + std::to_string(id), "", ""});
  if (sent && *sent > 0 && wake_) wake_();
  return sent;
}

std::int64_t AttendeeMessages::send_due(std::optional<UnixSeconds> at) {
  std::int64_t sent = 0;
  const UnixSeconds now = at.value_or(clock_.now());
  for (auto id : store_.due_messages(now))
    if (send_as_of(id, "schedule", now)) ++sent;
  return sent;
}

std::optional<RenderedNotice> AttendeeMessages::preview(const CheckedMessage& checked, std::string* why) {
  if (!notifier_) {
    *why = "no mail server is configured (--smtp-url): messages cannot be previewed or sent";
    return std::nullopt;
  }
  if (!checked.count.first_recipient) {
    *why = "no one is in this audience yet";
    return std::nullopt;
  }
  return notifier_->preview_message(AttendeeMessageText{checked.message.id, checked.message.subject, checked.message.body},
                                    *checked.count.first_recipient, why);
}

TestSend AttendeeMessages::send_test(const CheckedMessage& checked, const std::string& to, const std::string& actor) {
  using R = TestSend::Result;
  const auto address = normalize_email(to);
  if (!address) return {R::invalid, "not a plausible e-mail address: '" + to + "'"};
  if (!store_.find_user_by_email(*address))
    return {R::invalid, *address + " is not a console user's address: tests go to the team only"};
  if (!notifier_) return {R::invalid, "no mail server is configured (--smtp-url)"};
  if (!checked.count.first_recipient) return {R::invalid, "no one is in this audience yet: a test needs a recipient to stand in for"};
  std::string why;
  const SendResult r = notifier_->send_test_message(
      AttendeeMessageText{0, checked.message.subject, checked.message.body}, *checked.count.first_recipient, *address, &why);
  if (!r.accepted && !why.empty()) return {R::invalid, why};
  store_.audit(AuditEntry{0, clock_.now(), actor, "message_test", "test to " + *address, "",
                          "\"" + checked.message.subject + "\": " + (r.accepted ? "accepted" : "refused: " + r.answer)});
  if (!r.accepted) return {R::refused, r.answer.empty() ? "the mail server could not be reached" : r.answer};
  return {R::sent, r.answer};
}

bool AttendeeMessages::cancel(std::int64_t id, const std::string& actor) {
  const UnixSeconds now = clock_.now();
  return store_.cancel_message(id, now, AuditEntry{0, now, actor, "message_cancel", "message " + std::to_string(id), "scheduled", "cancelled"});
}

std::optional<Registration> AttendeeMessages::set_opt_out(const std::string& token, bool opted_out) {
  auto g = store_.find_registration_by_token(token_hash(token));
  if (!g || g->erased_at) return std::nullopt;
  if (!store_.set_messages_opt_out(g->id, opted_out, clock_.now())) return std::nullopt;
  return g;
}

}  // namespace marquee
