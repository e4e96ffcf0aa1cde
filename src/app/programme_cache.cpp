#include "app/programme_cache.hpp"

#include "core/redaction.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "core/time_zone.hpp"
#include "app/snapshot_codec.hpp"

namespace marquee {

namespace {

/// Fills in entries[i] (its event set) for i in [begin, end), in place;
/// kept[i] is 0 for a draft, or an event whose times cannot be converted
/// (left out with a warning).
void make_entries(std::vector<ProgrammeEntry>& entries, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) make_programme_entry(entries[i]);
}

}  // namespace

bool make_programme_entry(ProgrammeEntry& p) {
  const Event& e = p.event;
  p.local_date.clear();
  if (e.status == EventStatus::draft) return false;
  std::string date;
  try {
    const LocalTime start = to_local(e.starts_at, e.time_zone);
    const LocalTime end_time = to_local(e.all_day && e.ends_at > e.starts_at ? e.ends_at - 1 : e.ends_at, e.time_zone);
    p.local_end_date = end_time.date;
    if (!e.all_day) {  // then end_time is the end itself
      p.local_start = start.time;
      p.local_end = end_time.time;
    }
    p.utc_offset = start.offset;
    p.zone_abbrev = start.abbrev;
    date = start.date;
  } catch (const std::exception& ex) {
    spdlog::warn("event {}: {}", e.key, ex.what());
    return false;
  }
  p.local_date = std::move(date);  // last: an entry with a date is complete
  return true;
}

ProgrammePtr build_programme_from_made_entries(std::vector<ProgrammeEntry> entries, std::int64_t generation) {
  // Those left out are closed up, the rest keep their order.
  std::erase_if(entries, [](const ProgrammeEntry& p) { return p.local_date.empty(); });
  return std::make_shared<const Programme>(std::move(entries), generation);
}

ProgrammePtr build_programme_from_entries(std::vector<ProgrammeEntry> entries, std::int64_t generation) {
  // The entries are filled in place, in the events' order (a snapshot's is
  // the programme's, by start): an entry is about a kilobyte, and at 100,000
  // events each further vector of them was 0.1 GB of fresh pages to fault
  // in. A large programme is converted in two halves on two threads.
  constexpr std::size_t kSplitAt = 4000;
  const std::size_t n = entries.size();
  if (n < kSplitAt) {
    make_entries(entries, 0, n);
  } else {
    auto later = std::async(std::launch::async, [&] { make_entries(entries, n / 2, n); });
    make_entries(entries, 0, n / 2);
    later.get();
  }
  return build_programme_from_made_entries(std::move(entries), generation);
}

ProgrammePtr build_programme(std::vector<Event> events, std::int64_t generation) {
  std::vector<ProgrammeEntry> entries(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) entries[i].event = std::move(events[i]);
  events = {};
  return build_programme_from_entries(std::move(entries), generation);
}

namespace {
constexpr int kChangelogEntries = 1000;  // the changelog page, API and feed look this far back
constexpr std::int64_t kMakeEntriesAhead = 4000;  // events in a snapshot whose entries are made while it is read
}  // namespace

ProgrammeCache::ProgrammeCache(Store& store, OnSwap on_swap) : store_(store), on_swap_(std::move(on_swap)) {}

ProgrammeCache::~ProgrammeCache() { stop(); }

bool ProgrammeCache::refresh() {
  const bool swapped = refresh_programme();
  if (companion_) {
    try {
      companion_();
    } catch (const std::exception& e) {
      spdlog::warn("{}", e.what());
    }
  }
  return swapped;
}

bool ProgrammeCache::refresh_programme() {
  std::lock_guard serial(refresh_mutex_);
  try {
    if (!prepared_ && prepare_) prepare_();
    prepared_ = true;
  } catch (const std::exception& e) {
    note_error(e.what());
    throw;
  }
  std::optional<std::int64_t> live;
  try {
    live = store_.live_snapshot_number();
  } catch (const std::exception& e) {
    note_error(e.what());
    throw;
  }
  if (!live) return false;  // nothing published yet
  auto cur = current();
  if (cur && cur->generation() == *live && serving().source == "live") return false;
  const auto began = std::chrono::steady_clock::now();
  std::map<std::int64_t, SnapshotInfo> infos;
  for (auto& i : store_.list_snapshots()) infos.emplace(i.number, std::move(i));
  // The entries of a large programme are made (a kilobyte each, in new
  // huge pages) on another thread while its payload is read from the store.
  // The decoding takes each entry as soon as it is made.
  std::optional<SlotsMadeAhead<ProgrammeEntry>> slots;
  if (const auto it = infos.find(*live); it != infos.end() && it->second.event_count >= kMakeEntriesAhead)
    slots.emplace(static_cast<std::size_t>(it->second.event_count) + 1);  // a slot a line, and one for after the last line end
  // The changelog and the event sequences are read on another connection meanwhile (at
  // 100,000 changes a frame of 12 MB to decompress); a failure shows when they are taken.
  auto changelog = std::async(std::launch::async, [this, n = *live] { return store_.recent_changes(n, kChangelogEntries); });
  auto sequences = std::async(std::launch::async, [this] { return store_.event_sequences(); });
  // Whatever is thrown, the slots', changelog's and sequences' threads are waited for as they go.
  // Each entry is made as soon as its event is parsed, on the parsing thread.
  const std::function<void(ProgrammeEntry&)> made = [](ProgrammeEntry& p) { make_programme_entry(p); };
  SnapshotInfo info;
  std::unique_ptr<const PayloadPieces> pieces;  // a large payload: decoded piece by piece, never held whole
  std::optional<Snapshot> snap;                 // otherwise its text
  std::optional<std::vector<ProgrammeEntry>> entries;
  if (slots) {
    auto pieced = store_.snapshot_pieces(*live);
    if (!pieced) return false;
    info = std::move(pieced->info);
    pieces = std::move(pieced->payload);
    entries = decode_snapshot_entries(*pieces, *slots, made);
    if (!entries) {  // pieces that end inside lines, or more lines than its event count: the whole text below
      slots.reset();
      pieces.reset();
    }
  }
  if (!entries) {
    snap = store_.snapshot(*live);
    if (!snap) return false;
    info = snap->info;
    entries = decode_snapshot_entries(snap->payload, {}, made);
  }
  auto programme = build_programme_from_made_entries(std::move(*entries), *live);
  Publication pub;
  pub.snapshot = *live;
  pub.published_at = info.created_at;
  pub.content_hash = info.content_hash;
  pub.sequences = sequences.get();
  try {
    for (auto& [number, change] : changelog.get()) {
      const SnapshotInfo& info = infos[number];
      pub.changelog.push_back(ChangelogEntry{number, info.created_at, info.kind, std::move(change),
                                             redact_personal_links(redact_email_addresses(info.note))});
    }
  } catch (const StoreError& e) {  // a damaged changelog must not keep the programme from being served
    spdlog::error("serving snapshot {} without its changelog, which could not be read: {}", *live, e.what());
    pub.changelog.clear();
  }
  std::const_pointer_cast<Programme>(programme)->set_publication(std::move(pub));
  install(programme, "live", "snapshot " + std::to_string(*live));
  // Logged as soon as it is served (bench/served_at.mjs waits for this line), before the copy kept on disk.
  spdlog::info("serving snapshot {} from the live store: {} public events (read and built in {} ms)", *live,
               programme->entries().size(),
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count());
  if (keep_local_) {
    try {
      // The pieces' texts made again, one at a time, as the file is written.
      const ContentWriter write = [&](const PayloadSink& sink) {
        if (!pieces) return sink(snap->payload);
        std::string buffer;
        for (std::size_t i = 0; i < pieces->size(); ++i) sink(pieces->text(i, buffer));
      };
      keep_local_(*live, info.created_at, info.content_hash, pieces ? pieces->content_bytes() : snap->payload.size(), write);
    } catch (const std::exception& e) {
      spdlog::error("the live snapshot could not be kept on local disk: {}", e.what());
    }
  }
  return true;
}

void ProgrammeCache::reinstall() {
  std::lock_guard serial(refresh_mutex_);
  if (auto p = current(); p && on_swap_) on_swap_(p);
}

void ProgrammeCache::install_fallback(ProgrammePtr programme, const std::string& source, const std::string& detail) {
  spdlog::warn("serving the {} programme ({}): {} public events", source, detail, programme->entries().size());
  install(std::move(programme), source, detail);
}

void ProgrammeCache::install(ProgrammePtr next, const std::string& source, const std::string& detail) {
  const std::int64_t number = next->generation();
  if (on_swap_) on_swap_(next);
  std::atomic_store(&current_, std::move(next));
  std::lock_guard lock(serving_mutex_);
  if (serving_.source != source) serving_.since = std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch()).count();
  serving_.source = source;
  serving_.detail = detail;
  serving_.snapshot = number;
  if (source == "live") serving_.last_error.clear();
}

void ProgrammeCache::note_error(const std::string& error) {
  std::lock_guard lock(serving_mutex_);
  serving_.last_error = error;
}

ProgrammeCache::Serving ProgrammeCache::serving() const {
  std::lock_guard lock(serving_mutex_);
  return serving_;
}

void ProgrammeCache::start_polling(int interval_ms) {
  const std::chrono::milliseconds interval(interval_ms);
  // One step of the poll; the loop waits what it returns. With a listener
  // (PostgreSQL) a step waits for a notification in short slices so that
  // stop() is prompt, and refreshes on one or when the interval is up.
  // Without one, each interval's refresh runs after its sleep (the first
  // step of the next round).
  struct Poll {
    std::unique_ptr<LiveListener> listener;
    std::chrono::steady_clock::time_point last_refresh = std::chrono::steady_clock::now();
    bool refresh_after_sleep = false;
    bool told_polling = false;  // said once that this store gives no listener
  };
  auto poll = std::make_shared<Poll>();
  poller_.start_paced(
      [this, poll, interval_ms, interval]() -> WorkerLoop::Duration {
        try {
          if (poll->refresh_after_sleep) {
            poll->refresh_after_sleep = false;
            poll->last_refresh = std::chrono::steady_clock::now();
            refresh();
          }
          bool due = true;
          if (!poll->listener) {
            poll->listener = store_.listen_live();  // nullptr where the backend has no notifications
          } else {
            const bool notified = poll->listener->wait(std::min(interval_ms, 250));
            due = notified || std::chrono::steady_clock::now() - poll->last_refresh >= interval;
          }
          if (!poll->listener) {
            if (!std::exchange(poll->told_polling, true))
              spdlog::info("no notifications of publishes from this store: the live snapshot is polled every {} ms",
                           interval_ms);
            poll->refresh_after_sleep = true;
            return interval;
          }
          if (due) {
            poll->last_refresh = std::chrono::steady_clock::now();
            refresh();  // after a notification, a timeout or a reconnect alike
          }
          return WorkerLoop::Duration::zero();
        } catch (const std::exception& e) {
          poll->refresh_after_sleep = false;
          poll->listener.reset();
          spdlog::warn("programme refresh failed, still serving snapshot {}: {}",
                       current() ? current()->generation() : -1, e.what());
          return interval;
        }
      },
      interval, nullptr);
}

void ProgrammeCache::stop() { poller_.stop(); }

}  // namespace marquee
