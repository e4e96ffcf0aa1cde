#include "core/event_query.hpp"

#include <charconv>

#include "core/text.hpp"

namespace marquee {
namespace {

// Cursor: "<starts_at>~<key>" of the last item of the previous page.
std::string make_cursor(const Event& e) { return std::to_string(e.starts_at) + "~" + e.key; }

bool parse_cursor(const std::string& c, UnixSeconds* at, std::string* key) {
  const auto tilde = c.find('~');
  if (tilde == std::string::npos || tilde == 0) return false;
  auto [ptr, ec] = std::from_chars(c.data(), c.data() + tilde, *at);
  if (ec != std::errc() || ptr != c.data() + tilde) return false;
  *key = c.substr(tilde + 1);
  return !key->empty();
}

}  // namespace

std::optional<QueryPage> run_query(const Programme& p, const EventQuery& q) {
  UnixSeconds after_at = 0;
  std::string after_key;
  const bool has_cursor = !q.cursor.empty();
  if (has_cursor && !parse_cursor(q.cursor, &after_at, &after_key)) return std::nullopt;

  const std::string category = search_fold(q.category), tag = search_fold(q.tag), venue = search_fold(q.venue);
  std::vector<std::string> words;
  for (auto& w : split_list(search_fold(q.q), ' ')) words.push_back(w);

  QueryPage page;
  const std::vector<std::string>* search_texts = words.empty() ? nullptr : &p.search_texts();
  for (std::size_t i = 0; i < p.entries().size(); ++i) {
    const ProgrammeEntry& entry = p.entries()[i];
    const Event& e = entry.event;
    if (!q.from_date.empty() && entry.local_date < q.from_date) continue;
    if (!q.to_date.empty() && entry.local_date > q.to_date) continue;
    if (q.from_time && e.ends_at < *q.from_time) continue;
    if (q.to_time && e.starts_at > *q.to_time) continue;
    if (!category.empty() && search_fold(e.category) != category) continue;
    if (!venue.empty() && search_fold(e.venue) != venue) continue;
    if (!tag.empty()) {
      bool found = false;
      for (const auto& t : e.tags) found = found || search_fold(t) == tag;
      if (!found) continue;
    }
    bool all_words = true;
    for (const auto& w : words) all_words = all_words && (*search_texts)[i].find(w) != std::string::npos;
    if (!all_words) continue;

    ++page.total;
    if (has_cursor && (e.starts_at < after_at || (e.starts_at == after_at && e.key <= after_key))) continue;
    if (q.limit && page.items.size() >= *q.limit) {
      if (!page.next_cursor) page.next_cursor = make_cursor(page.items.back()->event);
      continue;
    }
    page.items.push_back(&entry);
  }
  return page;
}

}  // namespace marquee
