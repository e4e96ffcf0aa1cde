#include "app/webhook_sender.hpp"

#include <map>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/log_throttle.hpp"
#include "core/webhook.hpp"

namespace marquee {

WebhookSender::WebhookSender(Store& store, const Clock& clock, WebhookTransport& transport, WebhookSenderOptions options)
    : store_(store), clock_(clock), transport_(transport), options_(std::move(options)),
      secret_([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); }) {}

WebhookSender::~WebhookSender() { stop(); }

WebhookStats WebhookSender::drain() {
  WebhookStats stats;
  // Rows due by the start of this drain; rows retried during it wait for their backoff, so it ends.
  const UnixSeconds start = clock_.now();
  while (!stopping_) {
    auto rows = store_.claim_webhook_deliveries(start, clock_.now(), options_.batch, options_.lease_seconds, options_.worker);
    if (rows.empty()) break;
    // An endpoint that gave no answer gets no more attempts in this batch: its other rows wait
    // for the same retry time instead of each waiting out a timeout.
    std::map<std::int64_t, UnixSeconds> resting;
    for (const auto& d : rows) {
      const UnixSeconds now = clock_.now();
      if (stopping_ || resting.count(d.endpoint_id)) {
        store_.release_webhook_delivery(d.id, options_.worker, stopping_ ? now : resting[d.endpoint_id], now);
        continue;
      }
      WebhookAnswer answer;
      if (auto secret = secret_.open(d.secret_sealed)) {
        answer = transport_.post(d.url, d.payload,
                                 {{"Marquee-Signature", marquee_signature(d.payload, now, *secret)},
                                  {"Marquee-Event-Id", d.event_id},
                                  {"Marquee-Event-Type", d.event_type}});
      } else {
        answer.error = "the endpoint's secret cannot be opened (the installation secret changed): delete and add the endpoint again";
      }
      const UnixSeconds done = clock_.now();
      const bool delivered = answer.status && webhook_delivered(*answer.status);
      std::optional<UnixSeconds> retry_at;
      if (!delivered && d.attempts < kWebhookMaxAttempts) {
        const double unit = static_cast<double>(randombytes_uniform(1000000)) / 1e6;
        retry_at = done + webhook_retry_delay(d.attempts, options_.retry_base_seconds, unit);
      }
      store_.finish_webhook_attempt(d.id, options_.worker, delivered, answer.status, answer.error, retry_at, done);
      if (delivered) ++stats.delivered;
      else if (retry_at) ++stats.retried;
      else ++stats.failed;
      if (!delivered) {
        if (!answer.status) resting[d.endpoint_id] = retry_at.value_or(done + options_.retry_base_seconds);
        static LogThrottle throttle(std::chrono::seconds(10));
        if (auto n = throttle.tick())
          spdlog::warn("webhook delivery {} (webhook {}): attempt {} failed{} ({} such failures since the last line): {}", d.id,
                       d.endpoint_id, d.attempts, retry_at ? ", retried later" : ", given up", *n, answer.error);
      }
    }
  }
  return stats;
}

void WebhookSender::start(int poll_ms) {
  loop_.start(
      std::chrono::milliseconds(poll_ms),
      [this] {
        const WebhookStats s = drain();
        if (s.delivered + s.retried + s.failed > 0)
          spdlog::info("webhooks: {} delivered, {} to retry, {} failed", s.delivered, s.retried, s.failed);
      },
      [](const std::exception& e) { spdlog::error("webhooks: {}", e.what()); });
}

void WebhookSender::stop() {
  stopping_ = true;
  loop_.stop();
}

}  // namespace marquee
