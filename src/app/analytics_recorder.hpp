#pragma once
// The analytics buffer of one server instance (issue 16): signals are rolled
// up in memory (core/analytics_batch) and written in one transaction per
// flush, every `flush_interval`, sooner when `flush_rows` distinct rows are
// waiting, and on stop(). A request never waits for the store: record() only
// takes a short lock. A kill -9 loses at most one flush interval; stop()
// loses nothing that reached record() before it.
//
// Visitor ids (core/visitor_id) hash the client address and user agent with
// the salt of the local day, shared by every instance through the store; the
// address and user agent are used for that hash only, never kept.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/log_throttle.hpp"
#include "app/worker_loop.hpp"
#include "core/analytics_batch.hpp"
#include "core/visitor_id.hpp"
#include "ports/analytics_store.hpp"
#include "ports/clock.hpp"

namespace marquee {

struct AnalyticsOptions {
  std::chrono::milliseconds flush_interval{5000};  ///< --analytics-flush-ms
  std::size_t flush_rows = 50000;                  ///< distinct rows in one shard that wake the flusher early
  BatchLimits limits;                              ///< the buffer's bounds (detail is dropped beyond them)
  std::string site;                                ///< the site's public URL, part of every visitor hash
};

class AnalyticsRecorder {
 public:
  /// The IANA zone whose local days and hours the rollups use (the
  /// festival's time zone), asked once per hour. `store` and `clock` must
  /// outlive the recorder.
  using ZoneOf = std::function<std::string()>;
  AnalyticsRecorder(AnalyticsStore& store, const Clock& clock, ZoneOf zone, AnalyticsOptions options);
  /// Stops (see stop()).
  ~AnalyticsRecorder();
  AnalyticsRecorder(const AnalyticsRecorder&) = delete;
  AnalyticsRecorder& operator=(const AnalyticsRecorder&) = delete;

  /// Reads (or creates) the salt of today and, in the last 10 minutes of a
  /// day, of tomorrow. Called by the flusher before each flush and once at
  /// start; false when the store could not be reached (signals are then
  /// counted without visitor ids until it can).
  bool prepare_salts();
  /// Starts the flusher thread.
  void start();
  /// Stops the flusher and writes what is buffered (a last try; what the
  /// store refuses then is logged as lost). Idempotent.
  void stop();

  /// The visitor id of a client now, "" when today's salt is not known yet.
  std::string visitor(std::string_view client_address, std::string_view user_agent) const;
  /// Buffers one signal (its texts cleaned: core clean_signal) in the
  /// current local hour. Never blocks on the store.
  void record(const Signal& s);
  /// Buffers signals that are clean already (core clean_signal) and carry no
  /// visitor id, under one lock: several per request (placement impressions).
  void record_clean(const std::vector<const Signal*>& clean);
  /// record() with the visitor id of this client under the salt of the same
  /// local day the signal is counted in (so a request at midnight never
  /// mixes two days).
  void record(Signal s, std::string_view client_address, std::string_view user_agent);
  /// Writes the buffer in one transaction. False when the store refused: the
  /// rows are kept for the next flush (the flusher is not woken early then),
  /// and dropped, with an error in the log, after kFailuresBeforeDrop
  /// refusals in a row (a batch the store can never take must not stop
  /// analytics for good).
  bool flush();
  static constexpr int kFailuresBeforeDrop = 3;

  /// roll_up_analytics() in this recorder's zone and clock.
  AnalyticsRollup roll_up();

  struct Stats {
    std::uint64_t recorded = 0;       ///< signals record() took
    std::uint64_t flushes = 0;        ///< successful flushes that wrote rows
    std::uint64_t failed_flushes = 0;
    std::uint64_t rows_written = 0;
    std::uint64_t rows_dropped = 0;   ///< rows given up after kFailuresBeforeDrop refused flushes
  };
  Stats stats() const;
  /// Rows buffered now, waiting for the next flush, with those kept from a
  /// refused flush (takes each shard's lock briefly).
  std::size_t buffered_rows();
  /// The most visitor and search rows the buffer holds before it drops
  /// detail (counts of views and clicks are never dropped).
  std::size_t buffer_limit_rows() const { return (options_.limits.visitors + options_.limits.searches) * kShards; }

  /// The local hour `t` falls in, in the analytics zone.
  AnalyticsHour hour_of(UnixSeconds t) const;

 private:
  /// The current local hour and its day's salt, cached per thread (no lock
  /// shared between request threads on the hot path).
  struct Now {
    std::uint64_t owner = 0;  ///< the recorder's id_ (a pointer could be reused by a later recorder)
    std::uint64_t salts_version = 0;
    UnixSeconds hour_end = 0;
    AnalyticsHour hour;
    std::optional<VisitorHasher> hasher;  ///< the day's salt and the site, prepared; none without a salt
  };
  const Now& now_state() const;
  std::string zone() const;

  /// Signals are buffered in shards, each thread writing to its own (one
  /// lock per shard), so request threads do not wait for each other; each
  /// shard has the full bounds and wakes the flusher at flush_rows.
  static constexpr std::size_t kShards = 8;
  struct Shard {
    std::mutex mutex;
    AnalyticsBatch batch;
    VisitorsSeen seen;  ///< visitor rows this shard already took today
  };
  Shard& shard_of_this_thread();
  /// Adds a cleaned signal to this thread's shard; wakes the flusher at flush_rows.
  void buffer(const Signal& clean, const AnalyticsHour& hour);

  const std::uint64_t id_;
  AnalyticsStore& store_;
  const Clock& clock_;
  ZoneOf zone_;
  AnalyticsOptions options_;

  mutable std::mutex salts_mutex_;
  std::map<std::string, std::string> salts_;  ///< local day → salt hex
  std::atomic<std::uint64_t> salts_version_{1};

  std::array<Shard, kShards> shards_;
  std::atomic<std::size_t> next_shard_{0};
  std::atomic<bool> wake_sent_{false};
  std::mutex flush_mutex_;  ///< one flush at a time
  AnalyticsBatch retry_;    ///< what the store refused last time (flush thread only)
  std::atomic<std::size_t> retry_rows_{0};  ///< retry_.rows(), readable by metrics without the flush lock
  int failures_ = 0;        ///< refused flushes in a row
  /// Visitor rows already in the store with these flags (flush thread only):
  /// a visitor seen again with nothing new is not written again.
  std::map<VisitorKey, int> written_;
  std::atomic<std::uint64_t> recorded_{0}, flushes_{0}, failed_{0}, rows_written_{0}, rows_dropped_{0};
  LogThrottle flush_errors_{std::chrono::seconds(60)};
  WorkerLoop loop_;
  bool stopped_ = false;
};

/// For every local day of `zone` older than yesterday: counts its visitor
/// ids into the unique-visitor rollup and deletes them with the day's salt
/// (whether or not this process counts: --no-analytics still deletes).
/// Throws StoreError.
AnalyticsRollup roll_up_analytics(AnalyticsStore& store, const Clock& clock, const std::string& zone);

/// The local date before `day` ("YYYY-MM-DD"), calendar-wise (DST days have 23 or 25 hours).
std::string previous_day(const std::string& day);

}  // namespace marquee
