#include "core/event_operations.hpp"

namespace marquee {

std::string_view to_string(Promotion p) { return p == Promotion::offer ? "offer" : "automatic"; }

std::optional<Promotion> parse_promotion(std::string_view text) {
  if (text == "automatic") return Promotion::automatic;
  if (text == "offer") return Promotion::offer;
  return std::nullopt;
}

}  // namespace marquee
