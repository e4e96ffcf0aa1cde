#pragma once
// Sends the webhook deliveries the store wrote (ports/webhook_store.hpp):
// claims due rows for a lease, signs each body (core marquee_signature, the
// endpoint's secret opened from its seal) and POSTs it through a
// WebhookTransport; a 2xx ends it, anything else (refused, timed out, a non-2xx
// status, a blocked address) retries with backoff (core
// webhook_retry_delay) until kWebhookMaxAttempts, then it is failed and shown
// in the console for a replay. Several instances may send at once: a row is
// claimed by one of them (FOR UPDATE SKIP LOCKED on PostgreSQL). Receivers
// see an event more than once only when an answer was lost; the event id
// ("evt_…", also in the Marquee-Event-Id header) lets them ignore repeats.
#include <atomic>
#include <string>

#include "app/token_secret.hpp"
#include "app/worker_loop.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"
#include "ports/webhook_transport.hpp"

namespace marquee {

struct WebhookSenderOptions {
  std::string worker = "marquee";       ///< this process in claims (host:pid)
  int batch = 20;                       ///< rows claimed at a time
  int lease_seconds = 120;              ///< longer than one request's timeout
  UnixSeconds retry_base_seconds = 30;  ///< --webhook-retry-base-seconds (tests: 1)
};

struct WebhookStats {
  std::int64_t delivered = 0, retried = 0, failed = 0;
};

class WebhookSender {
 public:
  WebhookSender(Store& store, const Clock& clock, WebhookTransport& transport, WebhookSenderOptions options);
  ~WebhookSender();

  /// Sends every delivery due now (rows retried later wait for their
  /// backoff, so this ends). Throws StoreError.
  WebhookStats drain();
  /// Drains in a background thread every `poll_ms` and on wake().
  void start(int poll_ms);
  void wake() { loop_.wake(); }
  void stop();

 private:
  Store& store_;
  const Clock& clock_;
  WebhookTransport& transport_;
  WebhookSenderOptions options_;
  TokenSecret secret_;
  std::atomic<bool> stopping_{false};
  WorkerLoop loop_;
};

}  // namespace marquee
