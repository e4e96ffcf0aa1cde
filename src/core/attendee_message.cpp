#include "core/attendee_message.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace marquee {
namespace {

std::size_t utf8_characters(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

bool in_audience(const MessageAudience& a, AttendeeState state, const Answers& answers) {
  if (std::find(a.states.begin(), a.states.end(), state) == a.states.end()) return false;
  // Each question named must be answered with one of the values given for it.
  for (const auto& condition : a.answers) {
    const std::string& question = condition.first;  // (a plain reference: lambdas may not capture bindings before C++20 in clang 14)
    auto given = std::find_if(answers.begin(), answers.end(), [&](const auto& p) { return p.first == question; });
    if (given == answers.end()) return false;
    const bool any = std::any_of(a.answers.begin(), a.answers.end(),
                                 [&](const auto& c) { return c.first == question && c.second == given->second; });
    if (!any) return false;
  }
  return true;
}

std::string_view to_string(MessageState s) {
  switch (s) {
    case MessageState::scheduled: return "scheduled";
    case MessageState::sent: return "sent";
    case MessageState::cancelled: return "cancelled";
  }
  return "cancelled";
}

std::optional<MessageState> parse_message_state(std::string_view text) {
  if (text == "scheduled") return MessageState::scheduled;
  if (text == "sent") return MessageState::sent;
  if (text == "cancelled") return MessageState::cancelled;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> check_message(const AttendeeMessage& m) {
  std::vector<std::pair<std::string, std::string>> errors;
  const std::string subject = trim(m.subject);
  if (subject.empty()) errors.emplace_back("subject", "a subject is required");
  else if (utf8_characters(subject) > 200) errors.emplace_back("subject", "at most 200 characters");
  else if (subject.find_first_of("\r\n") != std::string::npos) errors.emplace_back("subject", "one line only");
  else if (!valid_utf8(subject)) errors.emplace_back("subject", "not valid UTF-8");
  if (trim(m.body).empty()) errors.emplace_back("body", "the message needs a text");
  else if (m.body.size() > 20000) errors.emplace_back("body", "at most 20,000 bytes");
  else if (!valid_utf8(m.body)) errors.emplace_back("body", "not valid UTF-8");
  if (m.audience.event_keys.empty()) errors.emplace_back("events", "choose at least one event");
  if (m.audience.states.empty()) errors.emplace_back("states", "choose at least one of confirmed, waitlisted, checked in");
  else if (std::find(m.audience.states.begin(), m.audience.states.end(), AttendeeState::cancelled) != m.audience.states.end())
    errors.emplace_back("states", "cancelled registrations receive no messages");
  for (const auto& [question, value] : m.audience.answers)
    if (trim(question).empty() || value.empty()) {
      errors.emplace_back("answers", "each condition needs a question id and a value");
      break;
    }
  return errors;
}

std::string format_states(const std::vector<AttendeeState>& states) {
  std::vector<std::string> parts;
  for (auto s : states) parts.emplace_back(to_string(s));
  return join(parts, ", ");
}

std::optional<std::vector<AttendeeState>> parse_states(std::string_view text) {
  std::vector<AttendeeState> out;
  for (const auto& part : split_list(text, ',')) {
    const std::string name = trim(part);
    if (name.empty()) continue;
    auto s = parse_attendee_state(name);
    if (!s || *s == AttendeeState::cancelled) return std::nullopt;
    if (std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
  }
  return out;
}

std::string format_answer_conditions(const std::vector<std::pair<std::string, std::string>>& answers) {
  std::string out;
  for (const auto& [question, value] : answers) out += question + "=" + value + "\n";
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_answer_conditions(std::string_view text,
                                                                                       std::string* error) {
  std::vector<std::pair<std::string, std::string>> out;
  int line_number = 0;
  const std::string all = normalize_newlines(text);
  for (std::size_t start = 0; start <= all.size();) {
    std::size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    const std::string line = trim(std::string_view(all).substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    const auto eq = line.find('=');
    const std::string question = eq == std::string::npos ? "" : trim(line.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
    if (question.empty() || value.empty()) {
      *error = "line " + std::to_string(line_number) + ": write question=value, e.g. dietary=Vegan";
      return std::nullopt;
    }
    out.emplace_back(question, value);
  }
  return out;
}

std::string describe_audience(const MessageAudience& a) {
  std::string out = "events " + join(a.event_keys, ", ") + "; states " + format_states(a.states);
  if (!a.answers.empty()) {
    std::vector<std::string> parts;
    for (const auto& [q, v] : a.answers) parts.push_back(q + "=" + v);
    out += "; answers " + join(parts, ", ");
  }
  return out;
}

}  // namespace marquee
