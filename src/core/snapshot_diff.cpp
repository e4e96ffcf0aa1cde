#include "core/snapshot_diff.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <future>
#include <iterator>

#include "core/huge_pages.hpp"
#include "core/programme_order.hpp"
#include "core/text.hpp"

namespace marquee {

std::string_view to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
  }
  return "changed";
}

const std::vector<std::string>& described_fields() {
  static const std::vector<std::string> f{"title", "starts_at", "ends_at", "time_zone", "all_day", "venue",
                                          "room", "address", "status", "price", "capacity"};
  return f;
}

std::string change_value(const Event& e, std::string_view field) {
  if (field == "title") return e.title;
  if (field == "starts_at") return std::to_string(e.starts_at);
  if (field == "ends_at") return std::to_string(e.ends_at);
  if (field == "time_zone") return e.time_zone;
  if (field == "all_day") return e.all_day ? "true" : "false";
  if (field == "venue") return e.venue;
  if (field == "room") return e.room;
  if (field == "address") return e.address;
  if (field == "status") return std::string(to_string(e.status));
  if (field == "price") return e.price;
  if (field == "capacity") return e.capacity ? std::to_string(*e.capacity) : "";
  return "";
}

namespace {

// Added and removed events: eight fields, one side each, written into the
// list's one buffer sized first, straight from the event (a first publish of
// 100,000 events describes each of them: no text made on the way).
FieldValuesList one_side(const Event& e, bool is_before) {
  static constexpr std::array<std::string_view, 8> kFields{"title", "starts_at", "ends_at", "time_zone",
                                                           "all_day", "venue", "room", "status"};
  char starts[24], ends[24];
  const auto int_text = [](std::int64_t v, char (&buf)[24]) {
    return std::string_view(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
  };
  const std::array<std::string_view, kFields.size()> values{
      e.title, int_text(e.starts_at, starts), int_text(e.ends_at, ends), e.time_zone,
      e.all_day ? "true" : "false", e.venue, e.room, to_string(e.status)};
  std::size_t text = 0;
  for (std::size_t i = 0; i < kFields.size(); ++i) text += kFields[i].size() + values[i].size();
  FieldValuesList out;
  out.reserve(kFields.size(), text);
  for (std::size_t i = 0; i < kFields.size(); ++i)
    out.push_back(kFields[i], is_before ? values[i] : std::string_view(), is_before ? std::string_view() : values[i]);
  return out;
}

FieldValuesList both_sides(const Event& x, const Event& y, const std::vector<std::string>& changed) {
  FieldValuesList out;
  for (const auto& f : described_fields()) {
    const bool context = f == "title" || f == "starts_at" || f == "time_zone";
    if (context || std::find(changed.begin(), changed.end(), f) != changed.end())
      out.push_back(f, change_value(x, f), change_value(y, f));
  }
  return out;
}

/// The events `out` points to by key, a key given twice counting once (its
/// last event, in the order given). Older snapshots came in key order: then no sort is needed; those in the
/// programme's order (by start) are sorted as pointers.
std::vector<const Event*> by_key(std::vector<const Event*> out) {
  const auto less = [](const Event* x, const Event* y) { return x->key < y->key; };
  if (!std::is_sorted(out.begin(), out.end(), less)) std::stable_sort(out.begin(), out.end(), less);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (i + 1 == out.size() || out[i + 1]->key != out[i]->key) out[kept++] = out[i];
  out.resize(kept);
  return out;
}

using EventIt = std::vector<const Event*>::const_iterator;

/// The changes between the events of [a_begin, a_end) and [b_begin, b_end),
/// both by key, appended to `out` in key order.
void diff_ranges(EventIt a_begin, EventIt a_end, EventIt b_begin, EventIt b_end, std::vector<EventChange>& out) {
  auto ia = a_begin;
  auto ib = b_begin;
  while (ia != a_end || ib != b_end) {
    if (ib == b_end || (ia != a_end && (*ia)->key < (*ib)->key)) {
      out.push_back({(*ia)->key, ChangeKind::removed, {}, one_side(**ia, true)});
      ++ia;
    } else if (ia == a_end || (*ib)->key < (*ia)->key) {
      out.push_back({(*ib)->key, ChangeKind::added, {}, one_side(**ib, false)});
      ++ib;
    } else {
      const Event &x = **ia, &y = **ib;
      std::vector<std::string> fields;
      auto cmp = [&](const char* name, bool differ) {
        if (differ) fields.emplace_back(name);
      };
      cmp("title", x.title != y.title);
      cmp("description", x.description != y.description &&
                             normalize_newlines(x.description) != normalize_newlines(y.description));
      cmp("starts_at", x.starts_at != y.starts_at);
      cmp("ends_at", x.ends_at != y.ends_at);
      cmp("time_zone", x.time_zone != y.time_zone);
      cmp("all_day", x.all_day != y.all_day);
      cmp("venue", x.venue != y.venue);
      cmp("address", x.address != y.address);
      cmp("room", x.room != y.room);
      cmp("category", x.category != y.category);
      cmp("tags", x.tags != y.tags);
      cmp("organizer", x.organizer != y.organizer);
      cmp("url", x.url != y.url);
      cmp("image_url", x.image_url != y.image_url);
      cmp("price", x.price != y.price);
      cmp("capacity", x.capacity != y.capacity);
      cmp("status", x.status != y.status);
      cmp("registration", x.registration != y.registration);
      cmp("waitlist", x.waitlist != y.waitlist);
      cmp("questions", x.questions != y.questions);
      if (!fields.empty()) {
        auto details = both_sides(x, y, fields);
        out.push_back({x.key, ChangeKind::changed, std::move(fields), std::move(details)});
      }
      ++ia;
      ++ib;
    }
  }
}

// From this many events on either side, the keys are diffed in two ranges on two threads.
constexpr std::size_t kDiffSplitAt = 8000;

std::vector<const Event*> pointers_to(const std::vector<Event>& events) {
  std::vector<const Event*> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(&e);
  return out;
}

/// The changes between `a` and `b`, each by key with no key twice (by_key).
std::vector<EventChange> diff_by_key(const std::vector<const Event*>& a, const std::vector<const Event*>& b) {
  std::vector<EventChange> out;
  // A first publish adds every event (or a programme emptied removes every one): a change
  // for each, room made once in huge pages. Otherwise changes are few: no room ahead.
  if (a.empty() || b.empty()) reserve_huge_pages(out, a.size() + b.size());
  if (std::max(a.size(), b.size()) < kDiffSplitAt) {
    diff_ranges(a.begin(), a.end(), b.begin(), b.end(), out);
  } else {
    // Keys before the larger side's middle key on this thread, the rest on another: both in key order.
    const std::string& middle = (b.size() >= a.size() ? b[b.size() / 2] : a[a.size() / 2])->key;
    const auto before_middle = [&](const Event* e, const std::string& k) { return e->key < k; };
    const auto a_mid = std::lower_bound(a.begin(), a.end(), middle, before_middle);
    const auto b_mid = std::lower_bound(b.begin(), b.end(), middle, before_middle);
    std::vector<EventChange> rest;
    auto later = std::async(std::launch::async, [&] {
      if (a.empty() || b.empty()) reserve_huge_pages(rest, static_cast<std::size_t>((a.end() - a_mid) + (b.end() - b_mid)));
      diff_ranges(a_mid, a.end(), b_mid, b.end(), rest);
    });
    try {
      diff_ranges(a.begin(), a_mid, b.begin(), b_mid, out);
    } catch (...) {
      later.wait();  // `rest` outlives its work
      throw;
    }
    later.get();
    out.insert(out.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  }
  return out;
}

}  // namespace

std::vector<EventChange> diff_programmes(const std::vector<Event>& before, const std::vector<Event>& after) {
  return diff_by_key(by_key(pointers_to(before)), by_key(pointers_to(after)));
}

std::vector<EventChange> diff_programmes_by_pointer(const std::vector<Event>& before,
                                                    const std::vector<const Event*>& after) {
  return diff_by_key(by_key(pointers_to(before)), by_key(after));
}

std::vector<Event> public_events(std::vector<Event> working) {
  std::erase_if(working, [](const Event& e) { return e.status == EventStatus::draft; });
  for (auto& e : working) {
    e.warnings.clear();
    e.source_file.clear();
    e.source_record.clear();
    e.created_at = e.updated_at = 0;
    e.version = 0;
  }
  // The programme's order: a server building its programme from the
  // snapshot finds it sorted (at 100,000 events the sort moved 100 MB).
  return in_programme_order(std::move(working));
}

}  // namespace marquee
