#pragma once
// Where partners, placements and their history live (issue 17; tables
// partners, placements, placement_history, partner_tokens, stripe_events,
// all in backups). Every change is one transaction with its history row and
// its audit entry; after the commit other instances are woken (PostgreSQL
// NOTIFY on the live channel) so the read path reloads at once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/partner.hpp"
#include "core/placement.hpp"
#include "ports/account_store.hpp"

namespace marquee {

/// One change of a placement, oldest first in a history.
struct PlacementChange {
  std::int64_t id = 0;
  std::int64_t placement_id = 0;
  UnixSeconds at = 0;
  std::string actor;       ///< "alice@example.org", "stripe", "staff token"
  std::string action;      ///< "create", "edit", or a PlacementMove name ("approve", "payment_succeeded", …)
  std::string from_state;  ///< "" for create and edit
  std::string to_state;
  std::string detail;      ///< e.g. the fields an edit changed, the Stripe event id
};

/// Who does a change and when, with the audit entry written in the same
/// transaction (its `target` is set by the store: "placement N", "partner N").
struct ChangeBy {
  std::string actor;
  UnixSeconds at = 0;
  std::string detail;  ///< kept in the history row
};

/// The outcome of move_placement.
struct PlacementMoveOutcome {
  bool found = false;
  PlacementMoveResult result;  ///< allowed/changed/state/reason as core/placement.hpp decided on the stored state
  Placement placement;         ///< as stored after the call
};

enum class PlacementEditResult { updated, unchanged, conflict, not_found };

/// A partner's report link (/partners/{token}); only the token's SHA-256 is kept.
struct PartnerToken {
  std::int64_t id = 0;
  std::int64_t partner_id = 0;
  std::string created_by;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> expires_at;  ///< none: until revoked
  std::optional<UnixSeconds> revoked_at;
};

/// A verified Stripe event as the webhook read it (app/stripe_webhook).
struct PaymentEvent {
  std::string event_id;            ///< "evt_…": applied at most once, whichever instance receives it
  std::string type;                ///< e.g. "checkout.session.completed"
  std::int64_t placement_id = 0;   ///< from client_reference_id or metadata; 0: found by payment_intent
  std::string payment_intent;      ///< "pi_…" when the event names one; kept with the placement
  std::string session_id;          ///< checkout.session.* events: the session ("cs_…"), "" otherwise
  std::optional<std::int64_t> amount;  ///< checkout.session.*: amount_total in minor units, when given
  std::string currency;            ///< with amount, lower case
  std::optional<PlacementMove> move;  ///< the change it asks for; nullopt: recorded only
  UnixSeconds at = 0;              ///< when it was received
};

/// What apply_payment_event did.
struct PaymentEventOutcome {
  enum class Result {
    applied,            ///< the placement's state changed
    unchanged,          ///< recorded; the move had nothing to do (late, repeated) or there was none
    duplicate,          ///< this event id was applied before: nothing done
    unknown_placement,  ///< recorded; no placement matches
    stale_session,      ///< recorded, not applied: a session other than the placement's current checkout
    wrong_amount,       ///< recorded, not applied: paid another amount or currency than the placement's price
  } result = Result::unchanged;
  Placement placement;  ///< after the call, when one matched
};

class PlacementStore {
 public:
  virtual ~PlacementStore() = default;

  /// Stores a new partner (id, created_at, updated_at set here) and the
  /// audit entry "partner_create"; returns the id. Throws StoreError.
  virtual std::int64_t add_partner(const Partner& p, const ChangeBy& by) = 0;
  /// Replaces name, contact e-mail and notes, with the audit entry
  /// "partner_edit"; false when there is no such partner.
  virtual bool update_partner(const Partner& p, const ChangeBy& by) = 0;
  virtual std::optional<Partner> find_partner(std::int64_t id) = 0;
  /// By name (then id).
  virtual std::vector<Partner> list_partners() = 0;

  /// Stores a new placement in state draft (version 1), its history row
  /// "create" and the audit entry "placement_create"; returns the id.
  /// Throws StoreError (e.g. an unknown partner).
  virtual std::int64_t add_placement(const Placement& p, const ChangeBy& by) = 0;
  /// Replaces the editable fields (event, slot, window, priority, share of
  /// voice, price, currency, notes; never the state) if the stored version is
  /// still `expected_version`, with a history row "edit" (detail: the changed
  /// fields) and the audit entry "placement_edit". `current` receives the
  /// stored placement after the call.
  virtual PlacementEditResult update_placement(const Placement& p, std::int64_t expected_version, const ChangeBy& by,
                                               Placement* current) = 0;
  /// Applies `move` to the stored state (core apply_move) under a row lock:
  /// when it changes the state, writes it with a history row (action = the
  /// move's name) and the audit entry "placement_<move>"; a move with
  /// nothing to do or one not allowed writes nothing.
  virtual PlacementMoveOutcome move_placement(std::int64_t id, PlacementMove move, const ChangeBy& by) = 0;
  /// In ONE transaction: records `e.event_id` (a second delivery, from any
  /// instance at the same moment or days later, finds it and changes
  /// nothing: duplicate), finds the placement (by id, else by its
  /// payment_intent), refuses a session that is not the placement's current
  /// checkout (stale_session) and a payment of another amount or currency
  /// than its price (wrong_amount), keeps the payment_intent, and applies `e.move` as
  /// move_placement does (history actor "stripe", detail the event id and
  /// type; audit "placement_<move>"). Throws StoreError (nothing recorded,
  /// so Stripe's retry applies it).
  virtual PaymentEventOutcome apply_payment_event(const PaymentEvent& e) = 0;
  /// Records the Checkout Session made for a placement (history "checkout").
  virtual bool set_checkout_session(std::int64_t id, const std::string& session_id, const ChangeBy& by) = 0;
  virtual std::optional<Placement> find_placement(std::int64_t id) = 0;
  /// Every placement (partner_id 0) or one partner's, newest first.
  virtual std::vector<Placement> list_placements(std::int64_t partner_id) = 0;
  /// Placements that may show now or later: states scheduled, active
  /// (and paused, so the console can show them), for the read path.
  virtual std::vector<Placement> live_placements() = 0;
  /// Oldest first.
  virtual std::vector<PlacementChange> placement_history(std::int64_t placement_id) = 0;

  /// Stores a report link's token hash for a partner, in one transaction with
  /// the audit entry "partner_link_create"; with `replace` (a rotation) the
  /// partner's other links are revoked in it ("partner_link_rotate").
  /// Returns the link's id. Throws StoreError.
  virtual std::int64_t add_partner_token(std::int64_t partner_id, const std::string& token_hash,
                                         std::optional<UnixSeconds> expires_at, bool replace, const ChangeBy& by) = 0;
  virtual std::optional<PartnerToken> find_partner_token(const std::string& token_hash) = 0;
  /// Newest first, revoked ones included.
  virtual std::vector<PartnerToken> list_partner_tokens(std::int64_t partner_id) = 0;
  /// Revokes one of the partner's links (audit "partner_link_revoke"); false
  /// when there is no such active link.
  virtual bool revoke_partner_token(std::int64_t partner_id, std::int64_t token_id, const ChangeBy& by) = 0;
  /// The id of the newest history row (0 when none): changes whenever any
  /// placement does, so a reader reloads only then.
  virtual std::int64_t placements_version() = 0;
};

}  // namespace marquee
