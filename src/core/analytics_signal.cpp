#include "core/analytics_signal.hpp"

#include <array>
#include <utility>

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
}  // namespace

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
