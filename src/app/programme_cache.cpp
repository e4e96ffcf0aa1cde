#include "app/programme_cache.hpp"

#include <spdlog/spdlog.h>

#include "adapters/formats/time_zone.hpp"

namespace marquee {

ProgrammePtr build_programme(std::vector<Event> events, std::int64_t generation) {
  std::vector<ProgrammeEntry> entries;
  entries.reserve(events.size());
  for (auto& e : events) {
    if (e.status == EventStatus::draft) continue;
    ProgrammeEntry p;
    try {
      const LocalTime start = to_local(e.starts_at, e.time_zone);
      const LocalTime end = to_local(e.all_day && e.ends_at > e.starts_at ? e.ends_at - 1 : e.ends_at, e.time_zone);
      p.local_date = start.date;
      p.local_end_date = end.date;
      if (!e.all_day) {
        p.local_start = start.time;
        p.local_end = to_local(e.ends_at, e.time_zone).time;
      }
      p.utc_offset = start.offset;
      p.zone_abbrev = start.abbrev;
    } catch (const std::exception& ex) {
      spdlog::warn("event {}: {}", e.key, ex.what());
      continue;
    }
    p.search_text = build_search_text(e);
    p.event = std::move(e);
    entries.push_back(std::move(p));
  }
  return std::make_shared<const Programme>(std::move(entries), generation);
}

ProgrammeCache::ProgrammeCache(Store& store, OnSwap on_swap) : store_(store), on_swap_(std::move(on_swap)) {}

ProgrammeCache::~ProgrammeCache() { stop(); }

bool ProgrammeCache::refresh() {
  const std::int64_t gen = store_.generation();
  auto cur = current();
  if (cur && cur->generation() == gen) return false;
  auto next = build_programme(store_.list_events(), gen);
  if (on_swap_) on_swap_(next);
  std::atomic_store(&current_, next);
  spdlog::info("programme generation {}: {} public events", gen, next->entries().size());
  return true;
}

void ProgrammeCache::start_polling(int interval_ms) {
  poller_ = std::thread([this, interval_ms] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      try {
        refresh();
      } catch (const std::exception& e) {
        spdlog::error("programme refresh failed, still serving generation {}: {}",
                      current() ? current()->generation() : -1, e.what());
      }
      lock.lock();
    }
  });
}

void ProgrammeCache::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

}  // namespace marquee
