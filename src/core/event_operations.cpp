#include "core/event_operations.hpp"

#include <algorithm>

namespace marquee {

std::string_view to_string(Promotion p) { return p == Promotion::offer ? "offer" : "automatic"; }

std::optional<Promotion> parse_promotion(std::string_view text) {
  if (text == "automatic") return Promotion::automatic;
  if (text == "offer") return Promotion::offer;
  return std::nullopt;
}

std::optional<std::int64_t> place_limit(std::optional<std::int64_t> capacity, int overbook_percent) {
  if (!capacity) return std::nullopt;
  return *capacity + *capacity * std::clamp(overbook_percent, 0, kMaxOverbookPercent) / 100;
}

std::optional<UnixSeconds> reconfirm_deadline(UnixSeconds asked_at, UnixSeconds starts_at, std::optional<int> release_hours) {
  if (!release_hours) return std::nullopt;
  const UnixSeconds deadline = std::max(starts_at - static_cast<UnixSeconds>(*release_hours) * 3600, asked_at + kMinReconfirmWindow);
  if (deadline > starts_at - 3600) return std::nullopt;
  return deadline;
}

std::string check_reconfirmation(std::optional<int> ask_hours, std::optional<int> release_hours) {
  if (ask_hours && (*ask_hours < 1 || *ask_hours > kMaxReconfirmHours))
    return "ask between 1 and " + std::to_string(kMaxReconfirmHours) + " hours (two weeks) before the start";
  if (release_hours && !ask_hours) return "places can only be released when attendees are asked to reconfirm";
  if (release_hours && (*release_hours < 1 || *release_hours > *ask_hours - 1))
    return *ask_hours < 2 ? "release at least an hour after asking and an hour before the start: ask 2 hours or more ahead"
                          : "release at least an hour after asking and before the start: between 1 and " +
                                std::to_string(*ask_hours - 1) + " hours before the start";
  return "";
}

}  // namespace marquee
