#include "app/analytics_recorder.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <stdexcept>

#include "core/time_zone.hpp"
#include "core/visitor_id.hpp"

namespace marquee {
namespace {
constexpr UnixSeconds kSaltLead = 600;          // tomorrow's salt is fetched at least this long before midnight
constexpr std::size_t kWrittenVisitors = 1000000;  // visitor rows remembered as written (about 100 MB at most)
std::atomic<std::uint64_t> next_recorder_id{1};
}  // namespace

std::string previous_day(const std::string& day) {
  auto d = parse_datetime_text(day, DateOrder::ymd);
  if (!d) throw std::invalid_argument("not a date: " + day);
  const DateTimeText p = add_days(*d, -1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", p.year, p.month, p.day);
  return buf;
}

AnalyticsRollup roll_up_analytics(AnalyticsStore& store, const Clock& clock, const std::string& zone) {
  return store.roll_up_analytics(previous_day(to_local(clock.now(), zone).date));
}

AnalyticsRecorder::AnalyticsRecorder(AnalyticsStore& store, const Clock& clock, ZoneOf zone, AnalyticsOptions options)
    : id_(next_recorder_id.fetch_add(1)), store_(store), clock_(clock), zone_(std::move(zone)), options_(std::move(options)) {
  for (auto& s : shards_) s.batch = AnalyticsBatch(options_.limits);
  retry_ = AnalyticsBatch(BatchLimits{options_.limits.visitors * kShards, options_.limits.searches * kShards});
}

AnalyticsRecorder::~AnalyticsRecorder() { stop(); }

std::string AnalyticsRecorder::zone() const {
  std::string z = zone_ ? zone_() : std::string();
  return z.empty() || !is_known_zone(z) ? std::string("UTC") : z;
}

AnalyticsHour AnalyticsRecorder::hour_of(UnixSeconds t) const {
  const LocalTime local = to_local(t, zone());
  return AnalyticsHour{t - local.minute * 60 - local.second, local.date};
}

const AnalyticsRecorder::Now& AnalyticsRecorder::now_state() const {
  thread_local Now now;
  const UnixSeconds t = clock_.now();
  const std::uint64_t version = salts_version_.load(std::memory_order_acquire);
  if (now.owner == id_ && now.salts_version == version && t >= now.hour.hour && t < now.hour_end) return now;
  now.owner = id_;
  now.salts_version = version;
  now.hour = hour_of(t);
  now.hour_end = now.hour.hour + 3600;
  std::string salt;
  {
    std::lock_guard lock(salts_mutex_);
    auto it = salts_.find(now.hour.day);
    if (it != salts_.end()) salt = it->second;
  }
  now.hasher.reset();
  if (!salt.empty()) now.hasher.emplace(salt, options_.site);
  // Without a salt, look again soon (the flusher may fetch it any moment).
  else now.hour_end = std::min(now.hour_end, t + 1);
  return now;
}

bool AnalyticsRecorder::prepare_salts() {
  const UnixSeconds t = clock_.now();
  // Tomorrow's salt is in memory before midnight even when flushes are minutes apart.
  const UnixSeconds lead = std::max<UnixSeconds>(
      kSaltLead, 2 * std::chrono::duration_cast<std::chrono::seconds>(options_.flush_interval).count() + 60);
  try {
    const std::string today = hour_of(t).day;
    for (const auto& day : {today, hour_of(t + lead).day}) {
      {
        std::lock_guard lock(salts_mutex_);
        if (salts_.count(day)) continue;
      }
      const std::string salt = store_.analytics_salt(day, new_visitor_salt(), t);
      std::lock_guard lock(salts_mutex_);
      salts_[day] = salt;
      salts_version_.fetch_add(1, std::memory_order_acq_rel);  // every thread picks the salt up
    }
    // Days before yesterday are never hashed again: their salts leave memory (the store deletes them too).
    const std::string yesterday = previous_day(today);
    std::lock_guard lock(salts_mutex_);
    for (auto it = salts_.begin(); it != salts_.end() && it->first < yesterday;) it = salts_.erase(it);
    return true;
  } catch (const std::exception& e) {
    if (auto n = flush_errors_.tick()) spdlog::warn("analytics: the day's salt cannot be read ({} times): {}", *n, e.what());
    return false;
  }
}

std::string AnalyticsRecorder::visitor(std::string_view client_address, std::string_view user_agent) const {
  const Now& cur = now_state();
  return cur.hasher ? cur.hasher->id(client_address, user_agent) : std::string();
}

AnalyticsRecorder::Shard& AnalyticsRecorder::shard_of_this_thread() {
  thread_local const std::size_t index = next_shard_.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shards_[index];
}

void AnalyticsRecorder::record(const Signal& s) { buffer(clean_signal(s), now_state().hour); }

void AnalyticsRecorder::record(Signal s, std::string_view client_address, std::string_view user_agent) {
  const Now& now = now_state();  // one local day for the hour and the salt
  s.visitor = now.hasher ? now.hasher->id(client_address, user_agent) : std::string();
  buffer(clean_signal(std::move(s)), now.hour);
}

void AnalyticsRecorder::record_clean(const std::vector<const Signal*>& clean) {
  if (clean.empty()) return;
  const AnalyticsHour& hour = now_state().hour;
  Shard& shard = shard_of_this_thread();
  std::size_t rows = 0;
  {
    std::lock_guard lock(shard.mutex);
    for (const Signal* s : clean) shard.batch.add(*s, hour, &shard.seen);
    rows = shard.batch.rows();
  }
  recorded_.fetch_add(clean.size(), std::memory_order_relaxed);
  if (rows >= options_.flush_rows && !wake_sent_.exchange(true)) loop_.wake();
}

void AnalyticsRecorder::buffer(const Signal& clean, const AnalyticsHour& hour) {
  Shard& shard = shard_of_this_thread();
  std::size_t rows = 0;
  {
    std::lock_guard lock(shard.mutex);
    shard.batch.add(clean, hour, &shard.seen);
    rows = shard.batch.rows();
  }
  recorded_.fetch_add(1, std::memory_order_relaxed);
  if (rows >= options_.flush_rows && !wake_sent_.exchange(true)) loop_.wake();
}

bool AnalyticsRecorder::flush() {
  std::lock_guard one(flush_mutex_);
  const AnalyticsHour now = hour_of(clock_.now());
  // Every shard fits: the batch holds the bounds of all of them.
  AnalyticsBatch batch(BatchLimits{options_.limits.visitors * kShards, options_.limits.searches * kShards});
  batch.absorb(std::move(retry_), now);
  retry_ = AnalyticsBatch(BatchLimits{options_.limits.visitors * kShards, options_.limits.searches * kShards});
  retry_rows_.store(0);
  for (auto& shard : shards_) {
    AnalyticsBatch taken;
    {
      std::lock_guard lock(shard.mutex);
      taken = std::move(shard.batch);
      shard.batch = AnalyticsBatch(options_.limits);
    }
    batch.absorb(std::move(taken), now);
  }
  // Visitor ids of days already rolled up (older than yesterday) would count their visitor twice.
  const std::string yesterday = previous_day(now.day);
  batch.forget_visitors_before(yesterday);
  batch.forget_known_visitors(written_);
  if (batch.empty()) {
    wake_sent_.store(false);
    return true;
  }
  try {
    store_.write_analytics(batch);
    failures_ = 0;
    wake_sent_.store(false);
    flushes_.fetch_add(1, std::memory_order_relaxed);
    rows_written_.fetch_add(batch.rows(), std::memory_order_relaxed);
    // Remember what is written (today's and yesterday's rows; bounded).
    for (auto it = written_.begin(); it != written_.end() && it->first.day < yesterday;) it = written_.erase(it);
    if (written_.size() + batch.visitors().size() > kWrittenVisitors) written_.clear();
    for (const auto& [k, flags] : batch.visitors()) written_[k] |= flags;
    return true;
  } catch (const std::exception& e) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    // No early wake-up until a flush succeeds: the next try comes after the interval.
    wake_sent_.store(true);
    if (++failures_ >= kFailuresBeforeDrop) {
      spdlog::error("analytics: dropped {} rows after {} refused flushes in a row: {}", batch.rows(), failures_, e.what());
      rows_dropped_.fetch_add(batch.rows(), std::memory_order_relaxed);
      failures_ = 0;
      return false;
    }
    if (auto n = flush_errors_.tick()) spdlog::warn("analytics: a flush failed ({} times), kept for the next one: {}", *n, e.what());
    retry_ = std::move(batch);
    retry_rows_.store(retry_.rows());
    return false;
  }
}

AnalyticsRollup AnalyticsRecorder::roll_up() { return roll_up_analytics(store_, clock_, zone()); }

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
  const Stats s = stats();
  spdlog::info("analytics: {} signals counted in {} flushes ({} rows)", s.recorded, s.flushes, s.rows_written);
}

AnalyticsRecorder::Stats AnalyticsRecorder::stats() const {
  return Stats{recorded_.load(), flushes_.load(), failed_.load(), rows_written_.load(), rows_dropped_.load()};
}

std::size_t AnalyticsRecorder::buffered_rows() {
  std::size_t rows = retry_rows_.load();
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    rows += shard.batch.rows();
  }
  return rows;
}

}  // namespace marquee
