#include "core/reminders.hpp"

#include <algorithm>
#include <charconv>

namespace marquee {
namespace {

bool space(char c) { return c == ' ' || c == ',' || c == '\t'; }

// "'<word>'<rest>", built by appending (GCC 12 warns, wrongly, about "'" + std::string(...)).
std::string quoted(std::string_view word, std::string_view rest) {
  std::string out(1, '\'');
  out.append(word).append("'").append(rest);
  return out;
}

std::string plural(UnixSeconds n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::optional<std::vector<UnixSeconds>> parse_reminder_offsets(std::string_view text, std::string* error) {
  std::vector<UnixSeconds> out;
  std::size_t i = 0;
  auto trimmed = text;
  while (!trimmed.empty() && space(trimmed.front())) trimmed.remove_prefix(1);
  while (!trimmed.empty() && space(trimmed.back())) trimmed.remove_suffix(1);
  if (trimmed.empty() || trimmed == "off") return out;
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    if (i == text.size()) break;
    std::size_t end = i;
    while (end < text.size() && !space(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    i = end;
    UnixSeconds value = 0;
    const auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    const std::string_view unit(p, static_cast<std::size_t>(word.data() + word.size() - p));
    const UnixSeconds scale = unit == "d" ? 86400 : unit == "h" ? 3600 : unit == "m" ? 60 : 0;
    if (ec != std::errc() || p == word.data() || scale == 0 || value <= 0 || value > 30 * 86400 / scale) {
      *error = quoted(word, " is not a duration such as 24h, 2h or 30m");
      return std::nullopt;
    }
    const UnixSeconds seconds = value * scale;
    if (seconds < 300 || seconds > 30 * 86400) {
      *error = quoted(word, " is outside 5 minutes to 30 days");
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), seconds) == out.end()) out.push_back(seconds);
  }
  if (out.size() > kMaxReminders) {
    *error = "at most " + std::to_string(kMaxReminders) + " reminders";
    return std::nullopt;
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

std::string format_reminder_offsets(const std::vector<UnixSeconds>& offsets) {
  std::string out;
  for (const auto s : offsets) {
    if (!out.empty()) out += ", ";
    if (s % 86400 == 0 && s >= 2 * 86400) out += std::to_string(s / 86400) + "d";
    else if (s % 3600 == 0) out += std::to_string(s / 3600) + "h";
    else out += std::to_string(s / 60) + "m";
  }
  return out;
}

std::string reminder_lead_text(UnixSeconds left) {
  // Whole hours from two hours on, else five-minute steps (at least 5 minutes).
  if (left >= 2 * 3600) left = (left + 1800) / 3600 * 3600;
  else left = std::max<UnixSeconds>(300, (left + 150) / 300 * 300);
  const UnixSeconds hours = left / 3600, minutes = left % 3600 / 60;
  if (hours == 0) return plural(minutes, "minute");
  return minutes == 0 ? plural(hours, "hour") : plural(hours, "hour") + " " + plural(minutes, "minute");
}

std::string reminder_dedup_key(std::int64_t registration_id, UnixSeconds offset, UnixSeconds starts_at) {
  return "reminder:" + std::to_string(registration_id) + ":" + std::to_string(offset) + ":" + std::to_string(starts_at);
}

std::optional<ReminderKey> parse_reminder_dedup_key(std::string_view key) {
  constexpr std::string_view prefix = "reminder:";
  if (!key.starts_with(prefix)) return std::nullopt;
  key.remove_prefix(prefix.size());
  std::int64_t parts[3] = {};
  for (int n = 0; n < 3; ++n) {
    const auto colon = n < 2 ? key.find(':') : key.size();
    if (colon == std::string_view::npos) return std::nullopt;
    const auto field = key.substr(0, colon);
    const auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), parts[n]);
    if (ec != std::errc() || p != field.data() + field.size() || field.empty()) return std::nullopt;
    key.remove_prefix(std::min(key.size(), colon + 1));
  }
  return ReminderKey{parts[0], parts[1], parts[2]};
}

std::string reminder_skip_reason(const ReminderKey& key, const std::string& registration_state, bool erased,
                                 const std::optional<Event>& live, UnixSeconds now) {
  if (erased) return "the registration's personal data was erased";
  if (registration_state != "confirmed" && registration_state != "checked_in")
    return "the registration is no longer confirmed (" + registration_state + ")";
  if (!live) return "the event is no longer in the public programme";
  if (live->status == EventStatus::cancelled) return "the event is cancelled (attendees are told of that separately)";
  if (now >= live->starts_at) return "the event has started";
  if (live->starts_at != key.starts_at) return "the event moved: the reminder for its new start replaces this one";
  return "";
}

}  // namespace marquee
