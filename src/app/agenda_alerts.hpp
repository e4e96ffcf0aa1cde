#pragma once
// E-mail alerts for a personal agenda (issue 20; docs/notifications.md, "Agenda alerts"): a visitor
// adds an address to their agenda and, once they confirm it by the link in a
// confirmation message (double opt-in), hears by e-mail when a starred event
// moves, changes room or is cancelled. Every alert carries a one-click
// unsubscribe (RFC 8058). Messages go through the transactional outbox like
// attendee notifications (Notifier). The address is personal data: it is
// forgotten when the alert ends, erased on request (GDPR Art. 17), and
// removed by retention (unconfirmed after kUnconfirmedDays; once every
// followed event is past its retention period).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "app/placements.hpp"
#include "app/token_secret.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Erases `email` from every agenda alert (GDPR Art. 17): they end as
/// "erased". Audits "erase" as `actor` with the count (never the address;
/// logged when the entry cannot be stored). Returns the count; nullopt for
/// an implausible address. Throws StoreError.
std::optional<std::int64_t> erase_alert_addresses(Store& store, const Clock& clock, TokenSecret& secret,
                                                  const std::string& email, const std::string& actor);

class AgendaAlerts {
 public:
  /// Confirmation messages one address may be sent in 24 hours (against mail bombing).
  static constexpr int kConfirmationsPerDay = 3;
  /// Unconfirmed alerts end, and their address is forgotten, after this many days.
  static constexpr int kUnconfirmedDays = 7;

  /// `queued`: called after a confirmation message was queued (wakes the sender).
  AgendaAlerts(Store& store, const Clock& clock, TokenSecret& secret, std::function<void()> queued = {})
      : store_(store), clock_(clock), secret_(secret), queued_(std::move(queued)) {}

  /// Adds `email` to the agenda of `agenda_token` (see AlertStore::subscribe_alert):
  /// a pending alert and its confirmation message. FieldErrors ("email") for
  /// an implausible address; no_agenda for an unknown or malformed token.
  /// Throws StoreError.
  std::variant<AlertSubscribed, FieldErrors> subscribe(const std::string& agenda_token, const std::string& email);
  /// The agenda's live alert (pending or confirmed), if any.
  std::optional<AgendaAlert> live(const std::string& agenda_token);
  /// The visitor removed the alert on their device: it ends ("unsubscribed"). False when none was live.
  bool remove(const std::string& agenda_token);
  /// The alert a confirmation / unsubscribe link points at (malformed tokens: nullopt).
  std::optional<AgendaAlert> by_confirmation(const std::string& token);
  std::optional<AgendaAlert> by_unsubscribe(const std::string& token);
  /// The link in the confirmation message, used (a POST, not the GET a link
  /// scanner may make): pending → confirmed.
  AlertChanged confirm(const std::string& token);
  /// The one-click unsubscribe (RFC 8058 POST) or the button on its page.
  AlertChanged unsubscribe(const std::string& token);
  /// See erase_alert_addresses.
  std::optional<std::int64_t> erase(const std::string& email, const std::string& actor) {
    return erase_alert_addresses(store_, clock_, secret_, email, actor);
  }

 private:
  Store& store_;
  const Clock& clock_;
  TokenSecret& secret_;
  std::function<void()> queued_;
};

/// Retention of alert addresses (see AlertStore::purge_alerts): unconfirmed
/// after AgendaAlerts::kUnconfirmedDays, or every followed event past its
/// retention period. Audits "retention" as `actor` when any ended (logged
/// when the entry cannot be stored). Returns how many ended. Throws StoreError.
std::int64_t purge_expired_alerts(Store& store, const Clock& clock, const std::string& actor);

/// An address shown back to the visitor without spelling it out:
/// "ada@example.org" → "a•••@example.org" (the first character, three
/// bullets whatever the length, the domain); "•••" without an "@".
std::string mask_email(const std::string& email);

/// The keyed hash (TokenSecret::derive, HMAC-SHA-256) of a normalized address
/// that counts its confirmation requests.
std::string alert_address_hash(TokenSecret& secret, const std::string& email);

/// SHA-256 (hex) of an alert's confirmation / unsubscribe token, as the store keeps it.
std::string alert_confirm_hash(const std::string& token);
std::string alert_unsubscribe_hash(const std::string& token);

}  // namespace marquee
