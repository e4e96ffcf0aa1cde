#include "core/programme.hpp"

#include <algorithm>

#include "core/sorted_by_index.hpp"
#include "core/text.hpp"

namespace marquee {

Programme::Programme(std::vector<ProgrammeEntry> entries, std::int64_t generation) : generation_(generation) {
  std::erase_if(entries, [](const ProgrammeEntry& p) { return p.event.status == EventStatus::draft; });
  entries_ = sorted_by_index(std::move(entries), [](const ProgrammeEntry& x, const ProgrammeEntry& y) {
    if (x.event.starts_at != y.event.starts_at) return x.event.starts_at < y.event.starts_at;
    return x.event.key < y.event.key;
  });
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
