#include "app/webhooks.hpp"

#include "app/accounts.hpp"
#include "core/text.hpp"
#include "core/webhook.hpp"

namespace marquee {

Webhooks::Webhooks(Store& store, const Clock& clock)
    : store_(store), clock_(clock),
      secret_([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); }) {}

CreatedWebhook Webhooks::create(const std::string& url, const std::string& events, const std::string& description,
                                const std::string& actor) {
  CreatedWebhook out;
  const std::string u = trim(url);
  if (auto why = check_webhook_url(u); !why.empty()) out.errors.emplace_back("url", why);
  std::string error;
  auto types = parse_webhook_events(events, &error);
  if (!types) out.errors.emplace_back("events", error);
  const std::string note = utf8_prefix(trim(description), 200);
  if (!out.errors.empty()) return out;
  out.secret = "whsec_" + random_token();
  WebhookEndpoint e;
  e.url = u;
  e.events = *types;
  e.secret_sealed = secret_.seal(out.secret);
  e.description = note;
  e.created_by = actor;
  e.created_at = clock_.now();
  e.id = store_.create_webhook(e, AuditEntry{0, e.created_at, actor, "webhook_create", "", "",
                                             u + " (" + join(e.events, ", ") + ")"});
  out.endpoint = store_.find_webhook(e.id);
  return out;
}

bool Webhooks::remove(std::int64_t id, const std::string& actor) {
  auto e = store_.find_webhook(id);
  if (!e) return false;
  return store_.delete_webhook(id, AuditEntry{0, clock_.now(), actor, "webhook_delete", "webhook " + std::to_string(id),
                                              e->url, ""});
}

bool Webhooks::replay(std::int64_t id, const std::string& actor) {
  auto d = store_.find_webhook_delivery(id);
  if (!d) return false;
  const UnixSeconds now = clock_.now();
  return store_.replay_webhook_delivery(
      id, now, AuditEntry{0, now, actor, "webhook_replay", "webhook delivery " + std::to_string(id), d->state,
                          d->event_type + " " + d->event_id});
}

}  // namespace marquee
