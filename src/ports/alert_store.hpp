#pragma once
// E-mail alerts of personal agendas in the store (issue 20;
// migrations/<backend>/0015_agenda_alerts.sql): an address added to an
// agenda, confirmed by a link (double opt-in), told by e-mail when a starred
// event changes. The address is personal data: the store forgets it when
// the alert ends. Tokens are looked up by SHA-256 (hex); the sealed copies
// (TokenSecret::seal) make the links in messages.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace marquee {

/// One alert. States: pending (waiting for its confirmation link),
/// confirmed, ended (see ended_reason; the address is gone).
struct AgendaAlert {
  std::int64_t id = 0;
  std::string agenda_hash;
  std::string email;         ///< lower-cased; "" once ended
  std::string state;         ///< pending, confirmed, ended
  std::string ended_reason;  ///< unsubscribed, replaced, not confirmed, erased, retention ("" while live)
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> confirmed_at;
  std::optional<UnixSeconds> ended_at;
};

/// A new alert as the app layer made it (tokens hashed and sealed).
struct NewAgendaAlert {
  std::string agenda_hash;
  std::string email;  ///< normalized
  std::string address_hash;  ///< keyed hash of the address (TokenSecret::derive): counts requests per address
  std::string confirm_hash, confirm_sealed;
  std::string unsubscribe_hash, unsubscribe_sealed;
  std::string agenda_sealed;  ///< the agenda's own token, sealed: links to the agenda in messages
};

/// What subscribe_alert did.
struct AlertSubscribed {
  enum class Result {
    pending,            ///< a new alert, or a pending one for the same address: a confirmation message is queued
    already_confirmed,  ///< the agenda already alerts this address: nothing queued
    no_agenda,          ///< no agenda has this hash
    too_many,           ///< the address was sent too many confirmation requests lately: nothing written
  } result = Result::pending;
  std::optional<AgendaAlert> alert;  ///< the live alert (pending, already_confirmed)
};

/// What a confirmation or an unsubscribe link did.
struct AlertChanged {
  enum class Result { changed, unchanged, unknown } result = Result::unknown;
  std::optional<AgendaAlert> alert;  ///< as it stands after the change
};

/// Who a change of some events would tell through agenda alerts.
struct AlertFollowers {
  std::map<std::string, std::int64_t> per_event;  ///< confirmed alerts following each key (keys none follow are left out)
  std::int64_t alerts = 0;  ///< distinct confirmed alerts following any of the keys: one message each
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  /// In one transaction: when the agenda's live alert has the same address,
  /// answers already_confirmed (confirmed) or queues the confirmation again
  /// (pending); a live alert with another address ends ("replaced") and a new
  /// pending alert is written. Each queued confirmation is an outbox row of
  /// kind alert_confirm, due now. too_many (nothing written) when the address
  /// (by `address_hash`, so ended alerts count too) was already sent
  /// `max_confirmations_per_day` confirmation requests in the 24 hours before
  /// `now`; requests for one address are serialized (PostgreSQL advisory
  /// lock; SQLite serializes writers). Throws StoreError.
  virtual AlertSubscribed subscribe_alert(const NewAgendaAlert& alert, int max_confirmations_per_day, UnixSeconds now) = 0;
  /// The agenda's live (pending or confirmed) alert.
  virtual std::optional<AgendaAlert> find_live_alert(const std::string& agenda_hash) = 0;
  /// The alert whose confirmation token hashes to `confirm_hash`.
  virtual std::optional<AgendaAlert> find_alert_by_confirmation(const std::string& confirm_hash) = 0;
  /// The alert whose unsubscribe token hashes to `unsubscribe_hash`.
  virtual std::optional<AgendaAlert> find_alert_by_unsubscribe(const std::string& unsubscribe_hash) = 0;
  /// pending → confirmed (changed); confirmed or ended: unchanged; unknown
  /// hash: unknown. A pending alert made before `unconfirmed_before` ends
  /// there and then as "not confirmed" (unchanged, state ended): a late link
  /// does not work even before the retention job ran.
  virtual AlertChanged confirm_alert(const std::string& confirm_hash, UnixSeconds unconfirmed_before, UnixSeconds now) = 0;
  /// pending or confirmed → ended "unsubscribed", address forgotten (changed);
  /// already ended: unchanged; unknown hash: unknown.
  virtual AlertChanged unsubscribe_alert(const std::string& unsubscribe_hash, UnixSeconds now) = 0;
  /// Ends the agenda's live alert as `reason` (the visitor removed it from
  /// their device); false when it had none.
  virtual bool end_live_alert(const std::string& agenda_hash, const std::string& reason, UnixSeconds now) = 0;
  /// Ends every alert of `email` (normalized) as "erased", forgets the
  /// address and deletes its request counts (`address_hash`) (GDPR Art. 17).
  /// Returns how many alerts held it.
  virtual std::int64_t erase_alert_address(const std::string& email, const std::string& address_hash, UnixSeconds now) = 0;
  /// Retention: pending alerts made before `unconfirmed_before` end as "not
  /// confirmed"; confirmed alerts end as "retention" when every followed
  /// event in the store ended more than its retention_days (0 when unset)
  /// before `now`, or when none of them is in the store (nothing starred, or
  /// the events were deleted). Request counts older than two days go.
  /// Returns how many alerts ended.
  virtual std::int64_t purge_alerts(UnixSeconds unconfirmed_before, UnixSeconds now) = 0;
  /// The confirmed alerts whose agenda follows any of `event_keys`, as a
  /// publish notifying those events would write agenda_alert messages for
  /// them (one per alert, however many of its events change). Pending and
  /// ended alerts are not counted. Throws StoreError.
  virtual AlertFollowers alert_followers(const std::vector<std::string>& event_keys) = 0;
};

}  // namespace marquee
