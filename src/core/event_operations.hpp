#pragma once
// One event's operations settings (issue 21; table event_operations): how a
// freed place reaches the waiting list, how long an offer stays open, and
// whether attendees may transfer their ticket. Not programme data: neither
// imported nor published. Plain C++, no I/O.
#include <optional>
#include <string>
#include <string_view>

namespace marquee {

/// How a freed place reaches the waiting list (docs/registrations.md).
enum class Promotion {
  automatic,  ///< the next person waiting is confirmed at once (and told)
  offer,      ///< the next person waiting is offered the place, held for them until they answer or the offer expires
};
std::string_view to_string(Promotion p);
std::optional<Promotion> parse_promotion(std::string_view text);  ///< "automatic" | "offer"; nullopt otherwise

/// Hours an offer stays open by default, and the bounds an operator may set.
inline constexpr int kDefaultOfferHours = 12;
inline constexpr int kMinOfferHours = 1;
inline constexpr int kMaxOfferHours = 168;

/// The settings; the defaults hold for events without a row.
struct EventOperations {
  Promotion promotion = Promotion::automatic;
  int offer_hours = kDefaultOfferHours;  ///< kMinOfferHours..kMaxOfferHours
  bool transfers = false;                ///< attendees may pass their place to someone else (self-service)
  /// Reminders before this event's start, as core/reminders reads them
  /// ("24h, 2h"; "" = none for this event); nullopt = the installation's setting.
  std::optional<std::string> reminder_offsets;
  friend bool operator==(const EventOperations&, const EventOperations&) = default;
};

}  // namespace marquee
