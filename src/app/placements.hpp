#pragma once
// Partner placements (issue 17), the operational moves: partners and
// placements created, edited and moved through their life cycle by
// operators (console, staff API, CLI alike). Each call validates, then runs
// one store transaction that writes the change, its history row and its
// audit entry (ports/placement_store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/partner.hpp"
#include "core/placement.hpp"
#include "ports/clock.hpp"
#include "ports/payment_gateway.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Field errors as (field, message), in form order.
using FieldErrors = std::vector<std::pair<std::string, std::string>>;

struct PartnerSaved {
  bool found = true;    ///< false: an edit of a partner that does not exist
  FieldErrors errors;   ///< not empty: nothing was written
  std::int64_t id = 0;
};

struct PlacementSaved {
  enum class Result { created, updated, unchanged, invalid, conflict, not_found } result = Result::invalid;
  FieldErrors errors;    ///< for invalid
  Placement placement;   ///< as stored after the call (for conflict: the other change)
};

struct PlacementMoved {
  enum class Result { moved, unchanged, refused, not_found } result = Result::not_found;
  std::string reason;    ///< for refused, in words
  Placement placement;   ///< as stored after the call
  /// Why it will not show now although the move succeeded (e.g. "its event
  /// is cancelled"), so the operator is told; "" when it shows or is not meant to.
  std::string warning;
};

struct CheckoutStarted {
  enum class Result { started, not_found, refused, failed } result = Result::not_found;
  std::string reason;        ///< for refused (in words) and failed (the provider's error, for the operator)
  std::string url;           ///< for started: where the partner pays
  Placement placement;       ///< after the call
};

class PlacementService {
 public:
  PlacementService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// Creates (p.id == 0) or edits a partner. Throws StoreError.
  PartnerSaved save_partner(Partner p, const std::string& actor);

  /// Creates a placement in state draft. Checks core check_placement, that
  /// the partner exists and that the event exists in the working state.
  /// Throws StoreError.
  PlacementSaved create_placement(const Placement& p, const std::string& actor);
  /// Edits a placement known at `expected_version` (the same checks); the
  /// state never changes here. Throws StoreError.
  PlacementSaved edit_placement(const Placement& p, std::int64_t expected_version, const std::string& actor);
  /// Moves a placement (approve, pause, resume, end, cancel, refund, …) as
  /// core apply_move allows from its stored state. Throws StoreError.
  PlacementMoved move(std::int64_t id, PlacementMove move, const std::string& actor, const std::string& detail = "");

  /// Makes a hosted checkout for a draft (or still unpaid) placement with a
  /// price through `gateway`, keeps its session id and moves the placement
  /// to awaiting_payment; the partner pays at `url`, and the Stripe webhook
  /// moves it on. `public_url` (the site's absolute base) is where the
  /// checkout sends the partner back (/checkout/complete, /checkout/cancelled).
  /// The same placement version gives the same idempotency key, so a retry
  /// makes no second session. Throws StoreError.
  CheckoutStarted start_checkout(std::int64_t id, PaymentGateway& gateway, const std::string& public_url,
                                 const std::string& actor);

 private:
  FieldErrors check(const Placement& p);

  Store& store_;
  const Clock& clock_;
};

/// The operator's name of a move as typed in forms and the API ("approve",
/// "pause", "resume", "end", "cancel", "refund", and "mark_paid" for a
/// payment taken outside Stripe, which is payment_succeeded); nullopt for
/// the others (request_payment and payment_failed come from Stripe only).
std::optional<PlacementMove> parse_operator_move(std::string_view s);

}  // namespace marquee
