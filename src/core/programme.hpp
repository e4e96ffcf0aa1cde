#pragma once
// The public programme: an immutable, sorted view of the public events that
// reads are served from. Built once per store change, then shared read-only.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/snapshot_diff.hpp"

namespace marquee {

/// One public event with values derived once at build time.
struct ProgrammeEntry {
  Event event;
  std::string local_date;        ///< start date in the event's zone, "YYYY-MM-DD"
  std::string local_start;       ///< "HH:MM" in the event's zone ("" for all-day)
  std::string local_end;         ///< "HH:MM" in the event's zone ("" for all-day)
  std::string local_end_date;    ///< end date in the event's zone, "YYYY-MM-DD"
  std::string utc_offset;        ///< offset at start, e.g. "+02:00"
  std::string zone_abbrev;       ///< e.g. "CEST"
};

/// One entry of the public changelog.
struct ChangelogEntry {
  std::int64_t snapshot = 0;
  UnixSeconds published_at = 0;
  std::string kind;      ///< "publish" or "rollback"
  EventChange change;
  std::string note;      ///< the publisher's note, public (e-mail addresses redacted)
};

/// Where a programme comes from: the live snapshot (number > 0) or a fallback.
struct Publication {
  std::int64_t snapshot = 0;        ///< 0 for a fallback source (backup file, bundled CSV)
  UnixSeconds published_at = 0;
  std::string content_hash;         ///< SHA-256 of the snapshot payload (hex)
  std::map<std::string, std::int64_t> sequences;  ///< iCalendar SEQUENCE per event key (absent = 0)
  std::vector<ChangelogEntry> changelog;          ///< newest first, bounded
  /// The schedule version of frab exports: changes with each publish.
  std::string version() const;
  std::int64_t sequence(const std::string& key) const;
};

class Programme {
 public:
  /// Takes events of any status; keeps published and cancelled ones (drafts
  /// are not public), sorted by (starts_at, key).
  /// `generation`: the store generation the events were read at.
  Programme(std::vector<ProgrammeEntry> entries, std::int64_t generation);
  // The key index points into the entries: a copy would point into the original's.
  Programme(const Programme&) = delete;
  Programme& operator=(const Programme&) = delete;
  ~Programme();

  const std::vector<ProgrammeEntry>& entries() const { return entries_; }
  /// build_search_text() of each entry's event, one per entry, in the
  /// entries' order. Made on the first call (the first search of this
  /// programme; at 100,000 events about 480 bytes an entry, on two threads
  /// from 4,000 entries), not when the programme is built: nothing is
  /// folded for a search no one makes. Thread-safe: concurrent first calls
  /// wait for one folding. Throws std::bad_alloc, or std::system_error when
  /// no thread can be started; a later call then tries again.
  const std::vector<std::string>& search_texts() const;
  /// nullptr when no public event has that key.
  const ProgrammeEntry* find(const std::string& key) const;
  std::int64_t generation() const { return generation_; }
  const Publication& publication() const { return publication_; }
  /// Set by the builder before the programme is shared.
  void set_publication(Publication p) { publication_ = std::move(p); }

 private:
  Publication publication_;
  std::vector<ProgrammeEntry> entries_;
  /// Each entry's key to its index (programme.cpp).
  struct KeyIndex;
  std::unique_ptr<const KeyIndex> by_key_;
  std::int64_t generation_;
  mutable std::mutex search_mutex_;              // held while the search texts are folded
  mutable std::atomic<bool> search_ready_{false};  // search_texts_ is complete
  mutable std::vector<std::string> search_texts_;
};

using ProgrammePtr = std::shared_ptr<const Programme>;

/// search_fold() of title, description, venue, room, category, tags and organizer.
std::string build_search_text(const Event& e);

}  // namespace marquee
