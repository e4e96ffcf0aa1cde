#pragma once
// Partner placements (issue 17), the domain rules without I/O: the slots,
// the placement life cycle (draft → awaiting payment → paid → scheduled →
// active → ended, with paused, cancelled and refunded), whether a placement
// shows at an instant (its flight window, its event), and the deterministic
// rotation among placements competing for one slot (priority first, then
// share of voice; stable for one visitor within a day, fair over time).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.hpp"

namespace marquee {

enum class PlacementSlot {
  featured,      ///< the hero area of the programme page, a few at a time
  promoted,      ///< fixed positions in the programme list, search results and category views
  category_top,  ///< the first place of a category's view
};
/// "featured", "promoted", "category_top".
std::string_view to_string(PlacementSlot s);
std::optional<PlacementSlot> parse_placement_slot(std::string_view s);

enum class PlacementState { draft, awaiting_payment, paid, scheduled, active, paused, ended, cancelled, refunded };
/// "draft", "awaiting_payment", "paid", "scheduled", "active", "paused", "ended", "cancelled", "refunded".
std::string_view to_string(PlacementState s);
std::optional<PlacementState> parse_placement_state(std::string_view s);

/// What can happen to a placement: an operator's move or a payment event
/// (Stripe webhooks may arrive late, twice or out of order).
enum class PlacementMove {
  request_payment,   ///< draft → awaiting_payment (a checkout link was made)
  payment_succeeded, ///< draft | awaiting_payment → paid
  payment_failed,    ///< awaiting_payment → draft (a new checkout may follow)
  approve,           ///< paid → scheduled (assets checked; the window decides when it shows)
  pause,             ///< scheduled | active → paused
  resume,            ///< paused → scheduled
  end,               ///< scheduled | active | paused → ended
  cancel,            ///< draft | awaiting_payment | paid | scheduled | active | paused → cancelled
  refund,            ///< paid | scheduled | active | paused | ended | cancelled → refunded
};
std::string_view to_string(PlacementMove m);

/// The outcome of a move: `changed` false with `state` unchanged when the
/// move has nothing to do (a repeated or late payment event: idempotent);
/// `allowed` false when it makes no sense from that state (an operator's
/// mistake, e.g. approving a draft), with `reason` in words.
struct PlacementMoveResult {
  bool allowed = false;
  bool changed = false;
  PlacementState state = PlacementState::draft;
  std::string reason;
};
PlacementMoveResult apply_move(PlacementState from, PlacementMove move);

struct Placement {
  std::int64_t id = 0;
  std::int64_t partner_id = 0;
  std::string event_key;
  PlacementSlot slot = PlacementSlot::promoted;
  UnixSeconds starts_at = 0;  ///< flight window start, UTC seconds, included
  UnixSeconds ends_at = 0;    ///< flight window end, UTC seconds, excluded
  int priority = 5;           ///< 1 (first) … 10: a lower number always wins over a higher one
  int share_of_voice = 100;   ///< 1 … 100: weight among placements of the same priority
  PlacementState state = PlacementState::draft;
  std::int64_t price_cents = 0;  ///< what the partner pays, in the currency's minor unit (Stripe's unit_amount)
  std::string currency = "eur";  ///< ISO 4217, lower case (Stripe's spelling)
  std::string checkout_session;  ///< the last Stripe Checkout Session id ("cs_…"), "" when none
  std::string payment_intent;    ///< the Stripe PaymentIntent that paid it ("pi_…"; refunds name only it), "" when none
  std::string notes;             ///< for the operators; never public
  std::int64_t version = 0;      ///< incremented by every stored change (optimistic concurrency)
  UnixSeconds created_at = 0, updated_at = 0;
};

/// Field errors of a placement as (field, message), in form order; empty when
/// valid: "event_key" (empty), "starts_at"/"ends_at" (the window must end
/// after it starts), "priority" (1–10), "share_of_voice" (1–100),
/// "price_cents" (0 or more), "currency" (three lower-case letters).
std::vector<std::pair<std::string, std::string>> check_placement(const Placement& p);

/// The state the public sees at `now`: a scheduled placement is active
/// while its window is open (from starts_at, included, to ends_at,
/// excluded) and ended after it; other states are as stored.
PlacementState effective_state(const Placement& p, UnixSeconds now);

/// Why a placement does not show at `now`, or nullopt when it shows: it
/// must be effectively active, its event published (not cancelled) and not
/// over (the event's end is after `now`). The reason is for the operator.
std::optional<std::string> why_not_showing(const Placement& p, const Event& e, UnixSeconds now);

/// Picks up to `count` of `candidates` (placements that show, for one slot)
/// for one viewer: every placement of the best (lowest) priority comes
/// before any of a worse one; within a priority the order is a weighted
/// draw keyed by `viewer_key` (e.g. the day's visitor id, or the day alone
/// for a shared page), so each placement comes first with a probability
/// proportional to its share of voice, and the same viewer sees the same
/// order all day. Deterministic: the same inputs give the same output.
std::vector<const Placement*> rotate(const std::vector<const Placement*>& candidates, std::size_t count,
                                     std::string_view viewer_key);

}  // namespace marquee
