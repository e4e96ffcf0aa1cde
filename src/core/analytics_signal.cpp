#include "core/analytics_signal.hpp"

#include <array>
#include <utility>

#include "core/text.hpp"

namespace marquee {
namespace {
constexpr std::array<std::pair<SignalKind, std::string_view>, 9> kNames{{
    {SignalKind::view, "view"},
    {SignalKind::search, "search"},
    {SignalKind::calendar_save, "calendar_save"},
    {SignalKind::outbound_click, "outbound_click"},
    {SignalKind::registration, "registration"},
    {SignalKind::impression, "impression"},
    {SignalKind::click, "click"},
    {SignalKind::feed_fetch, "feed_fetch"},
    {SignalKind::dropped, "dropped"},
}};
constexpr std::size_t kLongestText = 200;  // bytes

void clean_text(std::string& t) {
  if (!valid_utf8(t)) {
    t.clear();
    return;
  }
  std::erase_if(t, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
  if (t.size() > kLongestText) t = utf8_prefix(t, kLongestText);
}

}  // namespace

Signal clean_signal(Signal s) {
  for (std::string* t : {&s.event_key, &s.detail, &s.slot, &s.search_term, &s.search_filters, &s.visitor}) clean_text(*t);
  return s;
}

std::string_view to_string(SignalKind k) {
  for (const auto& [kind, name] : kNames)
    if (kind == k) return name;
  return "view";
}

std::optional<SignalKind> parse_signal_kind(std::string_view s) {
  for (const auto& [kind, name] : kNames)
    if (name == s) return kind;
  return std::nullopt;
}

}  // namespace marquee
