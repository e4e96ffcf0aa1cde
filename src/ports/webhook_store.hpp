#pragma once
// The outgoing webhook port (issue 21; migrations/<backend>/0018_webhooks.sql):
// endpoints, and deliveries written in the transaction of the change they
// report (the store adapter writes them where it records registrations,
// check-ins and publishes), claimed by senders for a lease like the outbox.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "ports/account_store.hpp"

namespace marquee {

struct WebhookEndpoint {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;  ///< core/webhook.hpp types
  std::string secret_sealed;        ///< "whsec_…" sealed with the installation secret (TokenSecret)
  std::string description;
  std::string created_by;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> disabled_at;
  // Read with the endpoint, for the console and API:
  std::optional<int> last_status;            ///< the newest attempted delivery's HTTP status (nullopt: none or no answer)
  std::string last_error;                    ///< …and its error
  std::optional<UnixSeconds> last_attempt_at;
  std::int64_t pending = 0, failed = 0;      ///< deliveries waiting, given up
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t endpoint_id = 0;
  std::string event_id;    ///< "evt_…"
  std::string event_type;
  std::string payload;     ///< the JSON body
  std::string state;       ///< pending, delivered, failed
  UnixSeconds created_at = 0;
  UnixSeconds due_at = 0;
  int attempts = 0;
  std::optional<int> last_status;
  std::string last_error;
  std::optional<UnixSeconds> delivered_at;
  // Claimed rows carry where and how to send:
  std::string url;
  std::string secret_sealed;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  /// Adds `e` (its id assigned) with `audit`; returns the id. Throws StoreError.
  virtual std::int64_t create_webhook(const WebhookEndpoint& e, const AuditEntry& audit) = 0;
  /// Every endpoint (disabled ones too), with its last attempt and counts, oldest first.
  virtual std::vector<WebhookEndpoint> list_webhooks() = 0;
  virtual std::optional<WebhookEndpoint> find_webhook(std::int64_t id) = 0;
  /// Deletes the endpoint and its deliveries with `audit`; false for an unknown id.
  virtual bool delete_webhook(std::int64_t id, const AuditEntry& audit) = 0;
  /// Deliveries of an endpoint, newest first.
  virtual std::vector<WebhookDelivery> webhook_deliveries(std::int64_t endpoint_id, int limit) = 0;
  virtual std::optional<WebhookDelivery> find_webhook_delivery(std::int64_t id) = 0;
  /// A delivery (any state) becomes pending again, due now, attempts reset,
  /// with `audit`; false for an unknown id.
  virtual bool replay_webhook_delivery(std::int64_t id, UnixSeconds now, const AuditEntry& audit) = 0;

  /// Claims up to `limit` pending deliveries due by `due_by` whose lease is
  /// free at `now`, of endpoints not disabled, until `now` + `lease_seconds`,
  /// counting the attempt; oldest due first, with the endpoint's url and
  /// sealed secret. (PostgreSQL: FOR UPDATE OF the delivery rows only, SKIP LOCKED.)
  virtual std::vector<WebhookDelivery> claim_webhook_deliveries(UnixSeconds due_by, UnixSeconds now, int limit,
                                                                int lease_seconds, const std::string& worker) = 0;
  /// Gives back a row `worker` claimed but did not try (a stop, or its
  /// endpoint just failed): the lease ends, the attempt is taken back, and it
  /// is due no earlier than `due_at`. A row no longer claimed by `worker` is left alone.
  virtual void release_webhook_delivery(std::int64_t id, const std::string& worker, UnixSeconds due_at, UnixSeconds now) = 0;
  /// Deletes delivered and failed rows last touched before `before`, and rows
  /// of endpoints that no longer exist. Returns how many went.
  virtual std::int64_t purge_webhook_deliveries(UnixSeconds before) = 0;
  /// The outcome of a claimed attempt: delivered (2xx), retried at `due_at`
  /// (nullopt: failed for good). `status` nullopt = no HTTP answer. A row no
  /// longer claimed by `worker` is left alone.
  virtual void finish_webhook_attempt(std::int64_t id, const std::string& worker, bool delivered, std::optional<int> status,
                                      const std::string& error, std::optional<UnixSeconds> due_at, UnixSeconds now) = 0;
};

}  // namespace marquee
