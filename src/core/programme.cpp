#include "core/programme.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace marquee {

Programme::Programme(std::vector<ProgrammeEntry> entries, std::int64_t generation) : generation_(generation) {
  std::erase_if(entries, [](const ProgrammeEntry& p) { return p.event.status == EventStatus::draft; });
  // Sorted through an index, then each entry moved once: entries are large to swap.
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const Event& a = entries[x].event;
    const Event& b = entries[y].event;
    if (a.starts_at != b.starts_at) return a.starts_at < b.starts_at;
    return a.key < b.key;
  });
  entries_.reserve(entries.size());
  for (auto i : order) entries_.push_back(std::move(entries[i]));
  by_key_.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) by_key_.emplace(entries_[i].event.key, i);
}

const ProgrammeEntry* Programme::find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &entries_[it->second];
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
