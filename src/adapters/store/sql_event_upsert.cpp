#include "adapters/store/sql_event_upsert.hpp"

#include <algorithm>

#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

// IN lists go in a few fixed sizes, the last one padded by repeating its last
// key: each query keeps to four cached statements on SQLite.
std::size_t in_list_size(std::size_t left) {
  for (const std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{64}})
    if (left <= n) return n;
  return 512;
}

// Runs `sql_head` + "(?, …)" for every key of `keys`, in IN lists, and hands each row to `row`.
template <typename Fn>
void for_keys(SqlConnection& db, const std::string& sql_head, const std::vector<std::string>& keys, Fn&& row) {
  for (std::size_t begin = 0; begin < keys.size();) {
    const std::size_t n = in_list_size(keys.size() - begin);
    Row params;
    params.reserve(n);
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(keys[std::min(begin + i, keys.size() - 1)]);
    for (auto& r : db.query(sql_head + "(" + placeholders(n) + ")", params)) row(r);
    begin += std::min(n, keys.size() - begin);
  }
}

}  // namespace

void EventUpsert::stream() {
  db_.bulk_append("events", kEventColumns, event_rows_);
  event_rows_.clear();
}

EventUpsert::EventUpsert(SqlConnection& db, UnixSeconds now, bool many)
    : db_(db), now_(now), whole_store_(many) {
  if (!whole_store_) return;
  for (auto& r : db_.query("SELECT key FROM events")) stored_keys_.insert(r[0].value_or(""));
  for (const auto& r : db_.query("SELECT event_key, confirmed FROM event_counters"))
    confirmed_[r[0].value_or("")] = std::stoll(r[1].value_or("0"));
  for (auto& r : db_.query("SELECT event_key FROM event_operations")) with_operations_.insert(r[0].value_or(""));
}

// Only keys stored before this upsert are looked up (a new key costs no
// query): on PostgreSQL a table grown inside this transaction still has the
// statistics of its empty self, and an IN list over it would be a scan per
// batch. A key this upsert wrote is read back alone, when it comes again.
void EventUpsert::read_attached(const std::vector<Event>& events) {
  existing_.clear();
  if (!whole_store_) {  // what the store holds for this batch's keys
    std::vector<std::string> asked;
    for (const Event& e : events) asked.push_back(e.key);
    std::sort(asked.begin(), asked.end());
    asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
    for_keys(db_, "SELECT key FROM events WHERE key IN ", asked, [&](Row& r) { stored_keys_.insert(r[0].value_or("")); });
    for_keys(db_, "SELECT event_key, confirmed FROM event_counters WHERE event_key IN ", asked,
             [&](Row& r) { confirmed_[r[0].value_or("")] = std::stoll(r[1].value_or("0")); });
    for_keys(db_, "SELECT event_key FROM event_operations WHERE event_key IN ", asked,
             [&](Row& r) { with_operations_.insert(r[0].value_or("")); });
  }
  std::vector<std::string> keys;
  for (const Event& e : events)
    if (stored_keys_.contains(e.key) && !written_keys_.contains(e.key)) keys.push_back(e.key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for_keys(db_, std::string("SELECT ") + kEventColumns + " FROM events WHERE key IN ", keys, [&](Row& r) {
    Event e = from_row(r, db_.true_text());
    existing_.emplace(e.key, std::move(e));
  });
}

void EventUpsert::add(std::vector<Event>& events, std::vector<UpsertChange>* changes) {
  // The batches before handed on their new events (on PostgreSQL a lookup
  // below ends the open COPY first). A key this upsert wrote is read back
  // below: it has no counter row (none is written with a new event) or one
  // write_event made, with no place taken, so a count missing from
  // confirmed_ is right.
  stream();
  read_attached(events);
  for (Event& incoming : events) {
    auto it = existing_.find(incoming.key);
    if (it == existing_.end() && written_keys_.contains(incoming.key)) {  // the same key again: read what was written
      stream();
      auto rows = db_.query(std::string("SELECT ") + kEventColumns + " FROM events WHERE key = ?", Row{incoming.key});
      it = existing_.emplace(incoming.key, from_row(rows.at(0), db_.true_text())).first;
    }
    if (it != existing_.end() && same_content(it->second, incoming)) {
      ++result_.unchanged;
      continue;
    }
    Event& e = incoming;  // written as it is, with its version and times
    if (it != existing_.end()) {
      e.created_at = it->second.created_at;
      e.version = it->second.version + 1;
      ++result_.updated;
    } else {
      e.created_at = now_;
      e.version = 1;
      ++result_.inserted;
    }
    e.updated_at = now_;
    auto c = confirmed_.find(e.key);
    if (changes)
      changes->push_back(UpsertChange{e.key, e.version,
                                      it != existing_.end() ? std::make_unique<Event>(it->second) : nullptr});
    if (it == existing_.end() && c == confirmed_.end() && !with_operations_.contains(e.key)) {
      // No counter row: the event's first registration, operations settings
      // or edit makes it (lock_counter).
      written_keys_.insert(e.key);
      event_rows_.push_back(to_row(std::move(e)));
      if (event_rows_.size() >= kStreamedRows) stream();
    } else {
      stream();
      write_event(db_, it != existing_.end() ? &it->second : nullptr, e, now_, c != confirmed_.end() ? c->second : 0);
      written_keys_.insert(e.key);
      existing_.insert_or_assign(e.key, std::move(e));
    }
  }
}

UpsertResult EventUpsert::finish() {
  stream();
  existing_.clear();
  written_keys_.clear();
  stored_keys_.clear();
  if (result_.inserted + result_.updated > 0) bump_generation(db_);
  return result_;
}

UpsertResult upsert_in(SqlConnection& db, const std::vector<Event>& events, UnixSeconds now,
                       std::vector<UpsertChange>* changes) {
  EventUpsert upsert(db, now, events.size() > 512);
  std::vector<Event> copy = events;
  upsert.add(copy, changes);
  return upsert.finish();
}

}  // namespace marquee
