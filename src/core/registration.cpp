#include "core/registration.hpp"

#include <cctype>

#include "core/text.hpp"

namespace marquee {

std::string_view to_string(AttendeeState s) {
  switch (s) {
    case AttendeeState::confirmed: return "confirmed";
    case AttendeeState::waitlisted: return "waitlisted";
    case AttendeeState::cancelled: return "cancelled";
    case AttendeeState::checked_in: return "checked_in";
  }
  return "cancelled";
}

std::optional<AttendeeState> parse_attendee_state(std::string_view s) {
  if (s == "confirmed") return AttendeeState::confirmed;
  if (s == "waitlisted") return AttendeeState::waitlisted;
  if (s == "cancelled") return AttendeeState::cancelled;
  if (s == "checked_in") return AttendeeState::checked_in;
  return std::nullopt;
}

bool can_move(AttendeeState from, AttendeeState to) {
  switch (from) {
    case AttendeeState::confirmed: return to == AttendeeState::cancelled || to == AttendeeState::checked_in;
    case AttendeeState::waitlisted: return to == AttendeeState::confirmed || to == AttendeeState::cancelled;
    case AttendeeState::cancelled:
    case AttendeeState::checked_in: return false;
  }
  return false;
}

std::optional<std::string> normalize_email(std::string_view in) {
  const std::string e = ascii_lower(trim(in));
  if (e.size() > 254) return std::nullopt;
  const auto at = e.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size()) return std::nullopt;
  const std::string local = e.substr(0, at), domain = e.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
    return std::nullopt;
  for (char c : local) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return std::nullopt;
  }
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos)
    return std::nullopt;
  for (char c : domain) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return std::nullopt;
  }
  return e;
}

std::vector<std::pair<std::string, std::string>> check_attendee(std::string_view name, std::string_view email) {
  std::vector<std::pair<std::string, std::string>> errors;
  const std::string n = collapse_whitespace(name);
  if (n.empty()) errors.emplace_back("name", "name is required");
  else if (n.size() > 200) errors.emplace_back("name", "name is longer than 200 characters");
  else if (!valid_utf8(n)) errors.emplace_back("name", "name is not valid UTF-8");
  if (trim(email).empty()) errors.emplace_back("email", "email is required");
  else if (!normalize_email(email)) errors.emplace_back("email", "'" + std::string(email.substr(0, 100)) + "' is not an e-mail address");
  return errors;
}

std::string normalize_ticket_code(std::string_view typed) {
  std::string out;
  for (unsigned char c : typed) {
    if (c == ' ' || c == '-' || c == '.' || c == '_' || c == '\t' || c == '\r' || c == '\n') continue;
    char u = static_cast<char>(std::toupper(c));
    if (u == 'O') u = '0';
    else if (u == 'I' || u == 'L') u = '1';
    out += u;
  }
  return out;
}

}  // namespace marquee
