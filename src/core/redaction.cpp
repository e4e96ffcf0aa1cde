#include "core/redaction.hpp"

#include <cctype>

namespace marquee {
namespace {

bool address_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return !std::isspace(u) && std::string_view("<>()\"',;").find(c) == std::string_view::npos;
}

bool token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-';
}

}  // namespace

std::string redact_email_addresses(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!address_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && address_char(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    const auto at = word.find('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < word.size()) out += "[address hidden]";
    else out += word;
    i = end;
  }
  return out;
}

std::string redact_personal_links(std::string_view text) {
  static constexpr std::string_view kMarkers[] = {"/r/", "/alerts/confirm/", "/alerts/unsubscribe/", "/agenda#t="};
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t pos = std::string_view::npos, length = 0;
    for (auto m : kMarkers)
      if (auto p = text.find(m, i); p < pos) pos = p, length = m.size();
    if (pos == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, pos + length - i);
    std::size_t end = pos + length;
    while (end < text.size() && token_char(text[end])) ++end;
    if (end > pos + length) out += "[personal link hidden]";
    i = end;
  }
  return out;
}

std::string loggable_path(std::string_view path) {
  for (std::string_view prefix : {"/r/", "/api/v1/registrations/", "/agenda/", "/api/v1/agendas/", "/partners/", "/submissions/",
                                   "/alerts/confirm/", "/alerts/unsubscribe/"}) {
    if (!path.starts_with(prefix)) continue;
    std::size_t end = prefix.size();
    while (end < path.size() && path[end] != '/' && path[end] != '?') ++end;
    if (end == prefix.size()) return std::string(path);
    return std::string(prefix) + "[token]" + std::string(path.substr(end));
  }
  return std::string(path);
}

}  // namespace marquee
