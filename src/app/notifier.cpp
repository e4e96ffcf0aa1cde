#include "app/notifier.hpp"

#include <algorithm>
#include <chrono>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/log_throttle.hpp"

#include "app/publisher.hpp"
#include "app/snapshot_codec.hpp"
#include "core/reminders.hpp"

namespace marquee {
namespace {

// Why a waiting-list offer message is no longer worth sending ("" = send it).
std::string offer_skip_reason(NoticeKind kind, const OutboxDelivery& row, UnixSeconds now) {
  if (kind == NoticeKind::place_offered) {
    if (row.offer_state != "open") return "the offer was answered, withdrawn or expired before its message went out";
    if (row.offer_expires_at && *row.offer_expires_at <= now) return "the offer expired before its message went out";
  }
  if (kind == NoticeKind::offer_withdrawn && row.registration_state != "waitlisted")
    return "the registration is no longer on the waiting list";
  if (kind == NoticeKind::transfer_received && row.transfer_superseded)
    return "the place was passed on again before this message went out";
  if (kind == NoticeKind::transfer_received && row.registration_state == "cancelled")
    return "the new holder cancelled before this message went out";
  return "";
}

}  // namespace

Notifier::Notifier(Store& store, const Clock& clock, NoticeComposer& composer, TransportFactory transports,
                   NotifierOptions options)
    : store_(store), clock_(clock), composer_(composer), transports_(std::move(transports)), options_(std::move(options)),
      secret_([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); }) {}

Notifier::~Notifier() { stop(); }

std::shared_ptr<const Notifier::EventsByKey> Notifier::events_of(std::int64_t snapshot) {
  std::lock_guard lock(cache_mutex_);
  if (auto it = snapshots_.find(snapshot); it != snapshots_.end()) return it->second;
  auto map = std::make_shared<EventsByKey>();
  if (auto s = store_.snapshot(snapshot))
    for (auto& e : decode_snapshot(s->payload)) map->emplace(e.key, std::move(e));
  if (snapshots_.size() >= 4) snapshots_.erase(snapshots_.begin());  // the oldest number
  snapshots_.emplace(snapshot, map);
  return map;
}

std::optional<Notice> Notifier::build_notice(const OutboxDelivery& row, const NotifySettings& settings,
                                             std::optional<std::int64_t> live, std::string* skip) {
  const OutboxMessage& m = row.message;
  auto kind = notice_kind(m.kind);
  if (!kind) {
    *skip = "unknown outbox kind '" + m.kind + "'";
    return std::nullopt;
  }
  if (row.alert) return build_alert_notice(row, *kind, settings, live, skip);
  if (row.email.empty()) {
    *skip = "the registration's personal data was erased";
    return std::nullopt;
  }
  if (!is_essential(*kind) && row.opted_out) {
    *skip = "the attendee opted out of non-essential messages";
    return std::nullopt;
  }
  Notice n;
  n.kind = *kind;
  n.dedup_key = m.dedup_key;
  n.revision = m.revision;
  n.name = row.name;
  n.email = row.email;
  n.sequence = row.sequence;
  n.date = clock_.now();
  std::optional<Event> now_event;
  if (live) {
    auto events = events_of(*live);
    if (auto it = events->find(m.event_key); it != events->end()) now_event = it->second;
  }
  if (*kind == NoticeKind::event_changed) {
    if (row.registration_state == "cancelled") {
      *skip = "the attendee cancelled the registration before delivery";
      return std::nullopt;
    }
    std::optional<Event> before;
    if (m.base_snapshot) {
      auto events = events_of(*m.base_snapshot);
      if (auto it = events->find(m.event_key); it != events->end()) before = it->second;
    }
    ChangeNotice c = make_change_notice(before, now_event, settings.fields);
    if (c.nothing_to_send()) {
      *skip = "the changes were undone before delivery (nothing differs from what the attendee last heard)";
      return std::nullopt;
    }
    n.kind = c.kind;
    n.changes = std::move(c.changes);
    if (!now_event && !before) {
      *skip = "the event is in no snapshot";
      return std::nullopt;
    }
    n.event = now_event ? *now_event : *before;
  } else if (*kind == NoticeKind::reminder) {
    const auto key = parse_reminder_dedup_key(m.dedup_key);
    if (!key) {
      *skip = "not a reminder key: " + m.dedup_key;
      return std::nullopt;
    }
    if (auto why = reminder_skip_reason(*key, row.registration_state, false, now_event, clock_.now()); !why.empty()) {
      *skip = why;
      return std::nullopt;
    }
    const auto& offsets = settings.reminders_for(m.event_key);
    if (std::find(offsets.begin(), offsets.end(), key->offset) == offsets.end()) {
      *skip = "reminders " + format_reminder_offsets({key->offset}) + " before the start were switched off";
      return std::nullopt;
    }
    n.event = *now_event;
    n.ticket_code = row.ticket_code;
    n.lead = reminder_lead_text(now_event->starts_at - clock_.now());  // the time left, also when sent late
  } else if (*kind == NoticeKind::attendee_message) {
    if (!row.attendee_message) {
      *skip = "the message is gone";
      return std::nullopt;
    }
    if (row.registration_state == "cancelled") {
      *skip = "the attendee cancelled the registration before delivery";
      return std::nullopt;
    }
    if (!now_event) now_event = store_.find_event(m.event_key);
    if (!now_event) {
      *skip = "the event no longer exists";
      return std::nullopt;
    }
    n.event = *now_event;
    n.message_subject = row.attendee_message->subject;
    n.message_body = row.attendee_message->body;
  } else {
    if (auto why = offer_skip_reason(*kind, row, clock_.now()); !why.empty()) {
      *skip = why;
      return std::nullopt;
    }
    if (*kind == NoticeKind::place_offered) n.offer_expires_at = row.offer_expires_at;
    if (*kind == NoticeKind::reconfirm_request && row.registration_state != "confirmed") {
      *skip = "the registration is no longer confirmed (released, cancelled or checked in) before the question went out";
      return std::nullopt;
    }
    if (*kind == NoticeKind::reconfirm_request && (!row.reconfirm_asked_at || *row.reconfirm_asked_at > m.created_at)) {
      *skip = "the question was superseded (the place was passed on, or the event moved and is asked again)";
      return std::nullopt;
    }
    if (*kind == NoticeKind::registration_link && row.registration_state == "cancelled") {
      *skip = "the registration was cancelled before its link went out";
      return std::nullopt;
    }
    if (!now_event) now_event = store_.find_event(m.event_key);  // registered before its first publish
    if (!now_event) {
      *skip = "the event no longer exists";
      return std::nullopt;
    }
    n.event = *now_event;
    if (*kind == NoticeKind::reconfirm_request || *kind == NoticeKind::reconfirm_released)
      n.reconfirm_deadline = row.reconfirm_deadline;  // what this person was told when asked
  }
  const bool holds_place = row.registration_state == "confirmed" || row.registration_state == "checked_in";
  n.attach_calendar = n.kind == NoticeKind::registration_cancelled || n.kind == NoticeKind::transfer_sent ||
                      n.kind == NoticeKind::reconfirm_released ||
                      (holds_place && n.kind != NoticeKind::registration_waitlisted && n.kind != NoticeKind::reminder &&
                       n.kind != NoticeKind::attendee_message && n.kind != NoticeKind::reconfirm_request);
  const std::string base = public_base();
  if (!base.empty()) {
    if (now_event) n.event_url = base + "/events/" + m.event_key;
    if (!row.token_sealed.empty())
      if (auto token = secret_.open(row.token_sealed)) {
        n.personal_url = base + "/r/" + *token;
        // The way out of what is not essential (RFC 8058 one-click; the page also takes a form POST).
        if (!is_essential(n.kind)) n.unsubscribe_url = n.personal_url + "/unsubscribe";
      }
  }
  if (n.kind == NoticeKind::attendee_message && n.unsubscribe_url.empty()) {
    *skip = "no public URL is configured (or the registration's link cannot be opened): no message without a way out";
    return std::nullopt;
  }
  if ((n.kind == NoticeKind::place_offered || n.kind == NoticeKind::transfer_received ||
       n.kind == NoticeKind::reconfirm_request) &&
      n.personal_url.empty()) {
    *skip = "no public URL is configured (or the registration's link cannot be opened): the message would have no way in";
    return std::nullopt;
  }
  return n;
}

std::string Notifier::public_base() const {
  std::string base = options_.public_url_now ? options_.public_url_now() : std::string();
  return base.empty() ? options_.public_url : base;
}

std::optional<Notice> Notifier::build_alert_notice(const OutboxDelivery& row, NoticeKind kind, const NotifySettings& settings,
                                                   std::optional<std::int64_t> live, std::string* skip) {
  const OutboxMessage& m = row.message;
  const AlertDelivery& alert = *row.alert;
  if (row.email.empty() || alert.state == "ended") {
    *skip = "the alert ended before delivery (unsubscribed, replaced, erased or its agenda removed)";
    return std::nullopt;
  }
  const std::string base = public_base();
  if (base.empty()) {
    *skip = "no public URL is configured: the message's links cannot be made";
    return std::nullopt;
  }
  Notice n;
  n.kind = kind;
  n.dedup_key = m.dedup_key;
  n.revision = m.revision;
  n.email = row.email;
  n.date = clock_.now();
  if (auto token = secret_.open(alert.agenda_sealed)) n.agenda_url = base + "/agenda#t=" + *token;
  if (kind == NoticeKind::alert_confirm) {
    if (alert.state != "pending") {
      *skip = "the address was already confirmed";
      return std::nullopt;
    }
    auto token = secret_.open(alert.confirm_sealed);
    if (!token) {
      *skip = "the confirmation token cannot be opened (the token secret changed)";
      return std::nullopt;
    }
    n.confirm_url = base + "/alerts/confirm/" + *token;
    return n;
  }
  if (alert.state != "confirmed") {
    *skip = "the address is not confirmed";
    return std::nullopt;
  }
  auto token = secret_.open(alert.unsubscribe_sealed);
  if (!token) {
    *skip = "the unsubscribe token cannot be opened (the token secret changed): no message without a way out";
    return std::nullopt;
  }
  n.unsubscribe_url = base + "/alerts/unsubscribe/" + *token;
  // Each starred event: what the visitor last heard (the base snapshot) against the programme now.
  auto before_all = m.base_snapshot ? events_of(*m.base_snapshot) : std::make_shared<const EventsByKey>();
  auto now_all = live ? events_of(*live) : std::make_shared<const EventsByKey>();
  for (const auto& key : alert.followed) {
    std::optional<Event> before, after;
    if (auto it = before_all->find(key); it != before_all->end()) before = it->second;
    if (auto it = now_all->find(key); it != now_all->end()) after = it->second;
    if (!before && !after) continue;  // in neither: starred but never published
    ChangeNotice c = make_change_notice(before, after, settings.fields);
    if (c.nothing_to_send()) continue;
    FollowedChange f;
    f.kind = c.kind;
    f.changes = std::move(c.changes);
    f.event = after ? *after : *before;
    if (after) f.event_url = base + "/events/" + key;
    n.followed.push_back(std::move(f));
  }
  if (n.followed.empty()) {
    *skip = "none of the starred events differs from what the visitor last heard (changes undone or unstarred)";
    return std::nullopt;
  }
  n.event = n.followed.front().event;
  return n;
}

void Notifier::deliver(MailTransport*& transport, std::unique_ptr<MailTransport>& owned, const OutboxDelivery& row,
                       const NotifySettings& settings, std::optional<std::int64_t> live, DrainStats& stats,
                       std::vector<OutboxStore::SentMark>& sent) {
  const OutboxMessage& m = row.message;
  const UnixSeconds now = clock_.now();
  if (now - m.created_at > options_.max_age_seconds) {
    store_.close_outbox(m.id, options_.worker, "skipped", "older than the maximum age when its turn came", now);
    ++stats.skipped;
    return;
  }
  std::string skip;
  std::optional<Notice> notice;
  try {
    notice = build_notice(row, settings, live, &skip);
  } catch (const StoreError&) {
    throw;
  } catch (const std::exception& e) {
    skip.clear();
    store_.close_outbox(m.id, options_.worker, "failed", std::string("the message could not be built: ") + e.what(), now);
    ++stats.failed;
    return;
  }
  if (!notice) {
    store_.close_outbox(m.id, options_.worker, "skipped", skip, now);
    ++stats.skipped;
    return;
  }
  MailMessage mail;
  try {
    mail = composer_.compose(*notice);
  } catch (const std::exception& e) {
    store_.close_outbox(m.id, options_.worker, "failed", std::string("the message could not be built: ") + e.what(), now);
    ++stats.failed;
    return;
  }
  if (!transport) {
    owned = transports_();
    transport = owned.get();
  }
  const SendResult r = transport->send(mail);
  const UnixSeconds done = clock_.now();
  if (r.accepted) {
    sent.push_back(OutboxStore::SentMark{
        m.id, m.revision, m.kind == "event_changed" || m.kind == "agenda_alert" ? live : std::nullopt, done});
    ++stats.sent;
  } else if (is_permanent_smtp_failure(r.code)) {
    store_.close_outbox(m.id, options_.worker, "failed", r.answer, done);
    ++stats.failed;
    spdlog::warn("outbox {}: permanent failure: {}", m.id, r.answer);
  } else if (m.attempts >= options_.max_attempts) {
    store_.close_outbox(m.id, options_.worker, "failed",
                        "gave up after " + std::to_string(m.attempts) + " attempts: " + r.answer, done);
    ++stats.failed;
    spdlog::warn("outbox {}: gave up after {} attempts: {}", m.id, m.attempts, r.answer);
  } else {
    const double unit = static_cast<double>(randombytes_uniform(1000000)) / 1e6;
    const UnixSeconds delay = retry_delay(m.attempts, options_.retry_base_seconds, options_.retry_cap_seconds, unit);
    store_.reschedule_outbox(m.id, options_.worker, done + delay, r.answer, done);
    ++stats.retried;
    // The server's answer, at warning level, at most one line per 10 s (an outage fails every message).
    static LogThrottle throttle(std::chrono::seconds(10));
    if (auto n = throttle.tick())
      spdlog::warn("outbox {}: SMTP attempt {} failed, retry in {} s ({} such failures since the last line): {}", m.id,
                   m.attempts, delay, *n, r.answer.empty() ? "no answer" : r.answer);
    // A dropped or refused connection is not reused for the next message.
    if (r.code == 0) {
      owned.reset();
      transport = nullptr;
    }
  }
}

std::optional<RenderedNotice> Notifier::preview(std::int64_t id, std::string* why) {
  auto row = store_.find_outbox(id);
  if (!row) {
    *why = "there is no outbox row " + std::to_string(id);
    return std::nullopt;
  }
  const NotifySettings settings = Publisher(store_, clock_).notify_settings();
  auto notice = build_notice(*row, settings, store_.live_snapshot_number(), why);
  if (!notice) return std::nullopt;
  return composer_.render(*notice);
}

std::optional<Notice> Notifier::message_notice(const AttendeeMessageText& text, std::int64_t registration_id,
                                              std::string* why) {
  auto g = store_.find_registration(registration_id);
  if (!g || g->email.empty()) {
    *why = "the registration is gone or erased";
    return std::nullopt;
  }
  auto event = store_.find_event(g->event_key);
  if (!event) {
    *why = "the event no longer exists";
    return std::nullopt;
  }
  Notice n;
  n.kind = NoticeKind::attendee_message;
  n.dedup_key = "attendee_message-preview:" + std::to_string(text.id) + ":" + std::to_string(registration_id);
  n.date = clock_.now();
  n.name = g->name;
  n.email = g->email;
  n.event = std::move(*event);
  n.message_subject = text.subject;
  n.message_body = text.body;
  const std::string base = public_base();
  const std::string origin = base.empty() ? std::string("https://marquee.invalid") : base;
  n.event_url = origin + "/events/" + g->event_key;
  n.personal_url = origin + "/r/PERSONAL-LINK";
  n.unsubscribe_url = n.personal_url + "/unsubscribe";
  return n;
}

std::optional<RenderedNotice> Notifier::preview_message(const AttendeeMessageText& text, std::int64_t registration_id,
                                                        std::string* why) {
  auto n = message_notice(text, registration_id, why);
  if (!n) return std::nullopt;
  return composer_.render(*n);
}

SendResult Notifier::send_test_message(const AttendeeMessageText& text, std::int64_t registration_id,
                                       const std::string& to, std::string* why) {
  auto n = message_notice(text, registration_id, why);
  if (!n) return SendResult{false, 0, *why};
  n->email = to;
  n->name = "Alex Example";  // a stand-in: the attendee's name does not go to the tester
  n->message_subject = "[Test] " + n->message_subject;
  n->dedup_key = "attendee_message-test:" + std::to_string(clock_.now());
  MailMessage mail;
  try {
    mail = composer_.compose(*n);
  } catch (const std::exception& e) {
    *why = std::string("the message could not be built: ") + e.what();
    return SendResult{false, 0, *why};
  }
  return transports_()->send(mail);
}

DrainStats Notifier::drain() {
  Publisher settings_reader(store_, clock_);
  const NotifySettings settings = settings_reader.notify_settings();
  std::mutex stats_mutex;
  DrainStats total;
  std::exception_ptr failure;
  // Rows are claimed as due at the start: a row retried during this drain
  // waits for its backoff instead of being taken again at once.
  const UnixSeconds start = clock_.now();
  auto work = [&] {
    std::unique_ptr<MailTransport> owned;
    MailTransport* transport = nullptr;
    DrainStats mine;
    // Accepted messages are marked sent in groups: one commit (one fsync)
    // for up to kMarkGroup of them, at most kMarkDelay after the first. A
    // crash in between sends those again once their lease ends (at least
    // once, as a crash between the SMTP answer and a single mark would).
    constexpr std::size_t kMarkGroup = 32;
    constexpr auto kMarkDelay = std::chrono::milliseconds(500);
    std::vector<OutboxStore::SentMark> sent;
    std::chrono::steady_clock::time_point first_sent;
    // The marks stay in `sent` until they are written; when the group's
    // transaction fails, each is tried alone so that one bad row (or a blip)
    // does not leave the whole group to be sent again.
    const auto flush = [&] {
      if (sent.empty()) return;
      try {
        store_.mark_outbox_sent_many(sent, options_.worker);
        sent.clear();
        return;
      } catch (const std::exception& e) {
        spdlog::warn("outbox: marking {} accepted messages sent failed, marking them one by one: {}", sent.size(), e.what());
      }
      std::vector<OutboxStore::SentMark> left;
      std::exception_ptr failure;
      for (const auto& m : sent) {
        try {
          store_.mark_outbox_sent(m.id, options_.worker, m.revision, m.sent_snapshot, m.at);
        } catch (...) {
          left.push_back(m);
          failure = std::current_exception();
        }
      }
      sent = std::move(left);
      if (failure) std::rethrow_exception(failure);
    };
    const auto mark_due = [&] {
      return !sent.empty() && std::chrono::steady_clock::now() - first_sent >= kMarkDelay;
    };
    try {
      while (!stopping_) {
        auto rows = store_.claim_outbox(start, options_.batch, options_.lease_seconds, options_.worker);
        if (rows.empty()) break;
        const auto live = store_.live_snapshot_number();
        std::size_t tried = 0;
        for (; tried < rows.size() && !stopping_; ++tried) {
          if (mark_due()) flush();  // before a send that may take long
          const bool none = sent.empty();
          deliver(transport, owned, rows[tried], settings, live, mine, sent);
          if (none && !sent.empty()) first_sent = std::chrono::steady_clock::now();
          if (sent.size() >= kMarkGroup || mark_due()) flush();
        }
        flush();
        if (tried < rows.size()) {
          std::size_t released = 0;
          for (; tried < rows.size(); ++tried) released += store_.release_outbox(rows[tried].message.id, options_.worker, clock_.now());
          spdlog::info("notifications: stopping; {} claimed messages given back to the outbox", released);
          break;
        }
      }
      flush();
    } catch (...) {
      try {
        flush();  // what was accepted before the failure
      } catch (const std::exception& e) {
        spdlog::error("outbox: {} accepted messages could not be marked sent; they go out again when their lease ends: {}",
                      sent.size(), e.what());
      }
      std::lock_guard lock(stats_mutex);
      if (!failure) failure = std::current_exception();
    }
    std::lock_guard lock(stats_mutex);
    total.sent += mine.sent;
    total.retried += mine.retried;
    total.failed += mine.failed;
    total.skipped += mine.skipped;
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, options_.senders); ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return total;
}

void Notifier::start(int poll_ms) {
  loop_.start(
      std::chrono::milliseconds(poll_ms),
      [this] {
        const DrainStats s = drain();
        if (s.sent + s.failed + s.retried + s.skipped > 0)
          spdlog::info("notifications: {} sent, {} to retry, {} failed, {} skipped", s.sent, s.retried, s.failed, s.skipped);
      },
      [](const std::exception& e) { spdlog::error("notifications: {}", e.what()); });
}

void Notifier::wake() { loop_.wake(); }

void Notifier::request_stop() { stopping_ = true; }

void Notifier::stop() {
  stopping_ = true;
  loop_.stop();
}

}  // namespace marquee
