#pragma once
// Delivers the outbox: claims due rows, builds each notice from the
// snapshots (what the attendee last heard against the programme now), hands
// the message to the mail transport, and records the outcome: sent only
// after the server accepted it; 4yz and connection failures retried with
// exponential backoff and jitter; 5yz failures end the row as failed with the
// server's answer. Runs inside `marquee serve` (start) and as a one-off
// drain (`marquee notify run`).
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "app/token_secret.hpp"
#include "app/worker_loop.hpp"
#include "ports/clock.hpp"
#include "ports/mail_transport.hpp"
#include "ports/notice_composer.hpp"
#include "ports/store.hpp"

namespace marquee {

struct NotifierOptions {
  std::string worker = "marquee";      ///< this process in claims (host:pid)
  std::string public_url;              ///< base of links in messages, e.g. "https://programme.example.org"
  /// When set and non-empty, the base of links now (festival settings); else public_url.
  std::function<std::string()> public_url_now;
  int senders = 4;                     ///< parallel SMTP connections
  int batch = 50;                      ///< rows claimed at a time per sender
  int lease_seconds = 300;             ///< a claim not finished by then may be taken by another worker
  int max_attempts = 8;                ///< transient failures before a row is failed
  UnixSeconds retry_base_seconds = 60; ///< first retry delay (doubles, with jitter)
  UnixSeconds retry_cap_seconds = 3600;
  UnixSeconds max_age_seconds = 7 * 86400;  ///< older pending rows are skipped, not sent late
};

struct DrainStats {
  std::int64_t sent = 0, retried = 0, failed = 0, skipped = 0;
};

class Notifier {
 public:
  using TransportFactory = std::function<std::unique_ptr<MailTransport>()>;
  Notifier(Store& store, const Clock& clock, NoticeComposer& composer, TransportFactory transports,
           NotifierOptions options);
  ~Notifier();

  /// Delivers every row due now (rows retried later are rescheduled, so this
  /// ends). Throws StoreError when the store fails.
  DrainStats drain();

  /// What row `id` would send now (nothing is claimed or changed); nullopt
  /// with `why` set when the row is unknown or would be skipped.
  std::optional<RenderedNotice> preview(std::int64_t id, std::string* why);

  /// Operators' messages before they go (app/attendee_messages.hpp): `text`
  /// as registration `registration_id` would receive it, its personal links
  /// shown as placeholders (".../r/PERSONAL-LINK"); nullopt with `why` when
  /// the registration or its event is gone.
  std::optional<RenderedNotice> preview_message(const AttendeeMessageText& text, std::int64_t registration_id,
                                                std::string* why);
  /// Sends that preview at once to `to` (the operator's own address; the
  /// name "Alex Example" stands in for the attendee's; subject marked
  /// "[Test]"), outside the outbox. Returns the SMTP outcome; `why` set and
  /// {accepted = false} when it cannot be built.
  SendResult send_test_message(const AttendeeMessageText& text, std::int64_t registration_id, const std::string& to,
                               std::string* why);

  /// Drains in a background thread every `poll_ms` and whenever wake() is called.
  void start(int poll_ms);
  void wake();
  /// Stops the worker: a drain under way finishes the message being sent,
  /// gives back the rows it claimed but has not tried (release_outbox, so
  /// another instance sends them at once, not after the lease), and returns.
  void stop();
  /// The first half of stop(), for the start of a drain: no more claims,
  /// claimed rows not yet tried go back; returns at once (stop() joins).
  void request_stop();

 private:
  using EventsByKey = std::unordered_map<std::string, Event>;
  std::shared_ptr<const EventsByKey> events_of(std::int64_t snapshot);
  /// Builds, sends and settles one claimed row; an accepted message is added
  /// to `sent` (marked sent in groups by the caller: mark_outbox_sent_many).
  void deliver(MailTransport*& transport, std::unique_ptr<MailTransport>& owned, const OutboxDelivery& row,
               const NotifySettings& settings, std::optional<std::int64_t> live, DrainStats& stats,
               std::vector<OutboxStore::SentMark>& sent);
  std::optional<Notice> build_notice(const OutboxDelivery& row, const NotifySettings& settings,
                                     std::optional<std::int64_t> live, std::string* skip_reason);
  /// alert_confirm and agenda_alert rows: the alert's address, its links, and
  /// each starred event that differs between the row's base snapshot and `live`.
  std::optional<Notice> message_notice(const AttendeeMessageText& text, std::int64_t registration_id, std::string* why);
  std::optional<Notice> build_alert_notice(const OutboxDelivery& row, NoticeKind kind, const NotifySettings& settings,
                                           std::optional<std::int64_t> live, std::string* skip_reason);
  std::string public_base() const;  ///< the base of links now ("" = none)

  Store& store_;
  const Clock& clock_;
  NoticeComposer& composer_;
  TransportFactory transports_;
  NotifierOptions options_;
  TokenSecret secret_;
  std::mutex cache_mutex_;
  std::map<std::int64_t, std::shared_ptr<const EventsByKey>> snapshots_;

  std::atomic<bool> stopping_{false};  ///< stop() was called: claimed rows not yet tried are released
  WorkerLoop loop_;  ///< start(): drain every poll_ms and on wake()
};

}  // namespace marquee
