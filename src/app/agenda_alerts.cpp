#include "app/agenda_alerts.hpp"

#include "app/accounts.hpp"
#include "app/agendas.hpp"
#include "app/personal_data.hpp"
#include "core/event_key.hpp"
#include "core/registration.hpp"

namespace marquee {
std::string alert_confirm_hash(const std::string& token) { return sha256_hex("alert-confirm\x1f" + token); }
std::string alert_unsubscribe_hash(const std::string& token) { return sha256_hex("alert-unsubscribe\x1f" + token); }

std::string alert_address_hash(TokenSecret& secret, const std::string& email) { return secret.derive("alert-address", email); }

std::string mask_email(const std::string& email) {
  const auto at = email.rfind('@');
  if (at == std::string::npos || at == 0) return "•••";
  // The whole first character (UTF-8: a lead byte and its continuation bytes).
  std::size_t first = 1;
  while (first < at && (static_cast<unsigned char>(email[first]) & 0xC0) == 0x80) ++first;
  return email.substr(0, first) + "•••" + email.substr(at);
}

std::variant<AlertSubscribed, FieldErrors> AgendaAlerts::subscribe(const std::string& agenda_token, const std::string& email) {
  const auto address = normalize_email(email);
  if (!address || address->size() > 254)
    return FieldErrors{{"email", "must be an e-mail address, e.g. ada@example.org"}};
  if (!plausible_token(agenda_token)) return AlertSubscribed{AlertSubscribed::Result::no_agenda, std::nullopt};
  const std::string confirm = random_token(), unsubscribe = random_token();
  NewAgendaAlert a;
  a.agenda_hash = agenda_hash(agenda_token);
  a.email = *address;
  a.address_hash = alert_address_hash(secret_, *address);
  a.confirm_hash = alert_confirm_hash(confirm);
  a.confirm_sealed = secret_.seal(confirm);
  a.unsubscribe_hash = alert_unsubscribe_hash(unsubscribe);
  a.unsubscribe_sealed = secret_.seal(unsubscribe);
  a.agenda_sealed = secret_.seal(agenda_token);
  AlertSubscribed done = store_.subscribe_alert(a, kConfirmationsPerDay, clock_.now());
  if (done.result == AlertSubscribed::Result::pending && queued_) queued_();
  return done;
}

std::optional<AgendaAlert> AgendaAlerts::live(const std::string& agenda_token) {
  if (!plausible_token(agenda_token)) return std::nullopt;
  return store_.find_live_alert(agenda_hash(agenda_token));
}

bool AgendaAlerts::remove(const std::string& agenda_token) {
  if (!plausible_token(agenda_token)) return false;
  return store_.end_live_alert(agenda_hash(agenda_token), "unsubscribed", clock_.now());
}

std::optional<AgendaAlert> AgendaAlerts::by_confirmation(const std::string& token) {
  if (!plausible_token(token)) return std::nullopt;
  return store_.find_alert_by_confirmation(alert_confirm_hash(token));
}

std::optional<AgendaAlert> AgendaAlerts::by_unsubscribe(const std::string& token) {
  if (!plausible_token(token)) return std::nullopt;
  return store_.find_alert_by_unsubscribe(alert_unsubscribe_hash(token));
}

AlertChanged AgendaAlerts::confirm(const std::string& token) {
  if (!plausible_token(token)) return AlertChanged{};
  const UnixSeconds now = clock_.now();
  return store_.confirm_alert(alert_confirm_hash(token), now - std::int64_t{kUnconfirmedDays} * 86400, now);
}

AlertChanged AgendaAlerts::unsubscribe(const std::string& token) {
  if (!plausible_token(token)) return AlertChanged{};
  return store_.unsubscribe_alert(alert_unsubscribe_hash(token), clock_.now());
}

std::optional<std::int64_t> erase_alert_addresses(Store& store, const Clock& clock, TokenSecret& secret,
                                                  const std::string& email, const std::string& actor) {
  const auto address = normalize_email(email);
  if (!address) return std::nullopt;
  const std::int64_t n = store.erase_alert_address(*address, alert_address_hash(secret, *address), clock.now());
  audit_erasure(store, AuditEntry{0, clock.now(), actor, "erase", "agenda alerts", "",
                                   std::to_string(n) + " alert" + (n == 1 ? "" : "s") + " held the address"});
  return n;
}

std::int64_t purge_expired_alerts(Store& store, const Clock& clock, const std::string& actor) {
  const UnixSeconds now = clock.now();
  const std::int64_t n = store.purge_alerts(now - std::int64_t{AgendaAlerts::kUnconfirmedDays} * 86400, now);
  if (n > 0)
    audit_erasure(store, AuditEntry{0, now, actor, "retention", "agenda alerts", "",
                                     std::to_string(n) + " ended (unconfirmed, or every followed event past its retention)"});
  return n;
}

}  // namespace marquee
