#include "core/programme.hpp"

#include <algorithm>
#include <future>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/programme_order.hpp"
#include "core/sorted_by_index.hpp"
#include "core/text.hpp"

namespace marquee {

// From this many entries on, the search texts are folded on two threads.
constexpr std::size_t kSearchSplitAt = 4000;

/// Each entry's key (a view of its event's key, which never moves: the
/// entries are not changed after construction) to its index. An
/// open-addressing table in one block: at 100,000 events a node per key had
/// been 0.05 s of a server's install, most of it page faults.
struct Programme::KeyIndex : boost::unordered_flat_map<std::string_view, std::size_t> {};

Programme::Programme(std::vector<ProgrammeEntry> entries, std::int64_t generation) : generation_(generation) {
  std::erase_if(entries, [](const ProgrammeEntry& p) { return p.event.status == EventStatus::draft; });
  entries_ = sorted_by_key(std::move(entries), [](const ProgrammeEntry& p) { return programme_order_key(p.event); });
  auto index = std::make_unique<KeyIndex>();
  index->reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) index->emplace(entries_[i].event.key, i);
  by_key_ = std::move(index);
}

Programme::~Programme() = default;

const ProgrammeEntry* Programme::find(const std::string& key) const {
  auto it = by_key_->find(std::string_view(key));
  return it == by_key_->end() ? nullptr : &entries_[it->second];
}

const std::vector<std::string>& Programme::search_texts() const {
  if (search_ready_.load(std::memory_order_acquire)) return search_texts_;
  // A mutex, not std::call_once: with libstdc++ a call_once whose function
  // threw leaves later calls waiting forever (GCC bug 66146), and folding
  // may throw (no memory, no thread); then the next search tries again.
  std::lock_guard lock(search_mutex_);
  if (search_ready_.load(std::memory_order_relaxed)) return search_texts_;
  std::vector<std::string> texts(entries_.size());
  const auto fold = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) texts[i] = build_search_text(entries_[i].event);
  };
  if (entries_.size() < kSearchSplitAt) {
    fold(0, entries_.size());
  } else {  // a large programme's second half on another thread
    const std::size_t half = entries_.size() / 2;
    auto later = std::async(std::launch::async, fold, half, entries_.size());
    fold(0, half);  // on a throw, `later`'s destructor waits for it
    later.get();
  }
  search_texts_ = std::move(texts);
  search_ready_.store(true, std::memory_order_release);
  return search_texts_;
}

std::string build_search_text(const Event& e) {
  std::string all = e.title + "\n" + e.description + "\n" + e.venue + "\n" + e.room + "\n" + e.category + "\n" +
                    join(e.tags, "\n") + "\n" + e.organizer;
  return search_fold(all);
}

std::string Publication::version() const {
  if (snapshot == 0) return "unpublished";
  return std::to_string(snapshot) + "-" + content_hash.substr(0, 8);
}

std::int64_t Publication::sequence(const std::string& key) const {
  auto it = sequences.find(key);
  return it == sequences.end() ? 0 : it->second;
}

}  // namespace marquee
