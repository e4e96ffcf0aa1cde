#include "app/analytics_recorder.hpp"

#include <spdlog/spdlog.h>

#include "core/time_zone.hpp"
#include "core/visitor_id.hpp"

namespace marquee {
namespace {
constexpr UnixSeconds kSaltLead = 600;  // tomorrow's salt is fetched this long before midnight
}  // namespace

AnalyticsRecorder::AnalyticsRecorder(AnalyticsStore& store, const Clock& clock, ZoneOf zone, AnalyticsOptions options)
    : store_(store), clock_(clock), zone_(std::move(zone)), options_(std::move(options)), pending_(options_.limits) {}

AnalyticsRecorder::~AnalyticsRecorder() { stop(); }

std::string AnalyticsRecorder::zone() const {
  std::string z = zone_ ? zone_() : std::string();
  return z.empty() || !is_known_zone(z) ? std::string("UTC") : z;
}

AnalyticsHour AnalyticsRecorder::hour_of(UnixSeconds t) const {
  const LocalTime local = to_local(t, zone());
  return AnalyticsHour{t - local.minute * 60 - local.second, local.date};
}

std::shared_ptr<const AnalyticsRecorder::Now> AnalyticsRecorder::now_state() const {
  const UnixSeconds t = clock_.now();
  auto cur = std::atomic_load(&now_);
  if (cur && t >= cur->hour.hour && t < cur->hour_end) return cur;
  auto next = std::make_shared<Now>();
  next->hour = hour_of(t);
  next->hour_end = next->hour.hour + 3600;
  {
    std::lock_guard lock(salts_mutex_);
    auto it = salts_.find(next->hour.day);
    if (it != salts_.end()) next->salt = it->second;
  }
  // Without a salt, look again soon (the flusher may fetch it any moment).
  if (next->salt.empty()) next->hour_end = std::min(next->hour_end, t + 1);
  std::shared_ptr<const Now> out = std::move(next);
  std::atomic_store(&now_, out);
  return out;
}

bool AnalyticsRecorder::prepare_salts() {
  const UnixSeconds t = clock_.now();
  try {
    for (const auto& day : {hour_of(t).day, hour_of(t + kSaltLead).day}) {
      {
        std::lock_guard lock(salts_mutex_);
        if (salts_.count(day)) continue;
      }
      const std::string salt = store_.analytics_salt(day, new_visitor_salt(), t);
      std::lock_guard lock(salts_mutex_);
      salts_[day] = salt;
      // Only today's and yesterday's salts are ever needed in memory.
      while (salts_.size() > 3) salts_.erase(salts_.begin());
    }
    std::atomic_store(&now_, std::shared_ptr<const Now>());  // the next request picks the salt up
    return true;
  } catch (const std::exception& e) {
    if (auto n = flush_errors_.tick()) spdlog::warn("analytics: the day's salt cannot be read ({} times): {}", *n, e.what());
    return false;
  }
}

std::string AnalyticsRecorder::visitor(std::string_view client_address, std::string_view user_agent) const {
  const auto cur = now_state();
  if (cur->salt.empty()) return {};
  return visitor_id(cur->salt, client_address, user_agent, options_.site);
}

void AnalyticsRecorder::record(const Signal& s) {
  const auto cur = now_state();
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    pending_.add(s, cur->hour);
    if (!wake_sent_ && pending_.rows() >= options_.flush_rows) wake = wake_sent_ = true;
  }
  recorded_.fetch_add(1, std::memory_order_relaxed);
  if (wake) loop_.wake();
}

bool AnalyticsRecorder::flush() {
  std::lock_guard one(flush_mutex_);
  AnalyticsBatch batch(options_.limits);
  {
    std::lock_guard lock(mutex_);
    std::swap(batch, pending_);
    wake_sent_ = false;
  }
  if (batch.empty()) return true;
  try {
    store_.write_analytics(batch);
    flushes_.fetch_add(1, std::memory_order_relaxed);
    rows_written_.fetch_add(batch.rows(), std::memory_order_relaxed);
    return true;
  } catch (const std::exception& e) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    if (auto n = flush_errors_.tick()) spdlog::warn("analytics: a flush failed ({} times), kept for the next one: {}", *n, e.what());
    const AnalyticsHour now = now_state()->hour;
    std::lock_guard lock(mutex_);
    batch.merge(pending_, now);
    std::swap(batch, pending_);
    return false;
  }
}

AnalyticsRollup AnalyticsRecorder::roll_up() {
  const std::string yesterday = hour_of(clock_.now() - 86400).day;
  return store_.roll_up_analytics(yesterday);
}

void AnalyticsRecorder::start() {
  loop_.start(
      options_.flush_interval,
      [this] {
        prepare_salts();
        flush();
      },
      [](const std::exception& e) { spdlog::error("analytics: {}", e.what()); }, false);
}

void AnalyticsRecorder::stop() {
  if (stopped_) return;
  stopped_ = true;
  loop_.stop();
  if (!flush()) spdlog::error("analytics: the last flush failed; the signals of the last interval are lost");
}

AnalyticsRecorder::Stats AnalyticsRecorder::stats() const {
  return Stats{recorded_.load(), flushes_.load(), failed_.load(), rows_written_.load()};
}

}  // namespace marquee
