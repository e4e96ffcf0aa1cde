#include "core/pipeline/schedule.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <unordered_map>

#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

std::unordered_map<std::string, std::size_t> index_by_key(const std::vector<Event>& sessions) {
  std::unordered_map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < sessions.size(); ++i) out.emplace(sessions[i].key, i);
  return out;
}

bool matches(const Registrant& r, const std::vector<std::pair<std::string, std::string>>& when) {
  for (const auto& [field, wanted] : when) {
    const std::string want = fold_key(wanted);
    const std::string& have = r.value(field);
    if (fold_key(have) == want) continue;
    bool in_list = false;
    for (const auto& item : list_items(have)) in_list = in_list || fold_key(item) == want;
    if (!in_list) return false;
  }
  return true;
}

}  // namespace

std::vector<AppliedOverride> apply_overrides(std::vector<Event>& sessions, const std::vector<Override>& overrides,
                                             std::vector<std::string>* errors) {
  std::vector<AppliedOverride> applied;
  const auto by_key = index_by_key(sessions);
  std::map<std::string, const Override*> claimed;
  for (const Override& o : overrides) {
    auto it = by_key.find(o.session);
    if (it == by_key.end()) {
      errors->push_back(o.where() + ": no session has the key \"" + o.session + "\"");
      continue;
    }
    Event& s = sessions[it->second];
    std::vector<std::string> fields;
    if (o.room) fields.push_back("room");
    if (o.venue) fields.push_back("venue");
    if (o.starts_at) fields.push_back("starts_at");
    if (o.ends_at) fields.push_back("ends_at");
    if (o.cancelled) fields.push_back("cancelled");
    bool clash = false;
    for (const auto& f : fields) {
      auto [c, fresh] = claimed.emplace(o.session + '\x1f' + f, &o);
      if (!fresh) {
        errors->push_back(o.where() + ": conflicts with the override at " + c->second->where() + ": both set " + f +
                          " of " + o.session);
        clash = true;
      }
    }
    if (clash) continue;
    Event after = s;
    if (o.room) after.room = *o.room;
    if (o.venue) after.venue = *o.venue;
    if (o.starts_at) {
      const UnixSeconds length = s.ends_at - s.starts_at;
      after.starts_at = *o.starts_at;
      if (!o.ends_at) after.ends_at = *o.starts_at + length;  // a moved session keeps its length
    }
    if (o.ends_at) after.ends_at = *o.ends_at;
    if (o.cancelled) after.status = *o.cancelled ? EventStatus::cancelled : EventStatus::published;
    if (after.ends_at < after.starts_at) {
      errors->push_back(o.where() + ": " + o.session + " would end before it starts");
      continue;
    }
    applied.push_back({&o, s, after});
    s = after;
  }
  return applied;
}

std::vector<std::string> check_lock(const std::vector<Event>& baseline, const std::vector<Event>& effective,
                                    const std::vector<Override>& overrides, const std::string& lock_date,
                                    std::vector<std::string>* errors) {
  std::map<std::string, std::set<std::string>> covered;  // session → fields set by overrides
  for (const auto& o : overrides) {
    auto& f = covered[o.session];
    if (o.room) f.insert("room");
    if (o.venue) f.insert("venue");
    if (o.starts_at) f.insert("starts_at"), f.insert("ends_at");
    if (o.ends_at) f.insert("ends_at");
    if (o.cancelled) f.insert("status");
    if (o.added) f.insert("added");
  }
  const auto now = index_by_key(effective);
  const auto then = index_by_key(baseline);
  std::vector<std::string> changed;
  const std::string suffix = " after the programme lock on " + lock_date + " without an override in config/overrides.toml";
  for (const Event& b : baseline) {
    auto it = now.find(b.key);
    if (it == now.end()) {
      errors->push_back("programme: session " + b.key + " was removed" + suffix + " (cancel it with an override instead)");
      continue;
    }
    const Event& e = effective[it->second];
    bool any = false;
    auto check = [&](const std::string& field, bool differs, const std::string& was, const std::string& is) {
      if (!differs) return;
      any = true;
      if (!covered[b.key].contains(field))
        errors->push_back("programme: session " + b.key + ": " + field + " changed from " + was + " to " + is + suffix);
    };
    check("starts_at", e.starts_at != b.starts_at, std::to_string(b.starts_at), std::to_string(e.starts_at));
    check("ends_at", e.ends_at != b.ends_at, std::to_string(b.ends_at), std::to_string(e.ends_at));
    check("room", e.room != b.room, "\"" + b.room + "\"", "\"" + e.room + "\"");
    check("venue", e.venue != b.venue, "\"" + b.venue + "\"", "\"" + e.venue + "\"");
    check("status", e.status != b.status, std::string(to_string(b.status)), std::string(to_string(e.status)));
    if (any) changed.push_back(b.key);
  }
  for (const Event& e : effective) {
    if (then.contains(e.key)) continue;
    if (covered[e.key].contains("added")) changed.push_back(e.key);
    else errors->push_back("programme: session " + e.key + " was added" + suffix + " (add one with added = true)");
  }
  std::sort(changed.begin(), changed.end());
  return changed;
}

void apply_assign_rules(std::vector<Registrant>& registrants, const std::vector<AssignRule>& rules,
                        const std::vector<Event>& sessions, std::vector<std::string>* errors) {
  const auto by_key = index_by_key(sessions);
  for (const auto& rule : rules) {
    bool ok = true;
    for (const auto& s : rule.sessions)
      if (!by_key.contains(s)) {
        errors->push_back(rule.where() + ": no session has the key \"" + s + "\"");
        ok = false;
      }
    if (!ok) continue;
    for (auto& r : registrants) {
      if (!matches(r, rule.when)) continue;
      auto items = list_items(r.value("sessions"));
      std::set<std::string> all(items.begin(), items.end());
      all.insert(rule.sessions.begin(), rule.sessions.end());
      const std::string after = join(std::vector<std::string>(all.begin(), all.end()), "; ");
      if (after == r.value("sessions")) continue;
      r.values["sessions"] = after;
      r.trace["sessions"].push_back({"rule", rule.where(), "assign rule adds " + join(rule.sessions, ", "), after});
    }
  }
}

Allocation allocate(const std::vector<Event>& sessions, const std::vector<Registrant>& registrants,
                    const std::map<std::string, std::int64_t>& capacities,
                    std::optional<std::int64_t> default_capacity) {
  Allocation out;
  out.sessions.resize(sessions.size());
  const auto by_key = index_by_key(sessions);
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    auto c = capacities.find(sessions[i].key);
    out.sessions[i].capacity = c != capacities.end() ? std::optional(c->second)
                               : sessions[i].capacity ? sessions[i].capacity
                                                      : default_capacity;
  }
  // A build's registrants come in key order: then an index is its key's rank
  // and no key need be compared (nor the registrants sorted by key again).
  const bool in_key_order = in_key_order_of(registrants);
  auto key_less = [&](std::size_t a, std::size_t b) { return in_key_order ? a < b : registrants[a].key < registrants[b].key; };
  // First come, first served: by time of registration (unknown last), then
  // by key; sorted as (time, index) pairs, not through the registrants.
  std::vector<std::pair<std::int64_t, std::size_t>> order(registrants.size());
  for (std::size_t i = 0; i < registrants.size(); ++i)
    order[i] = {registrants[i].registered_at == 0 ? INT64_MAX : registrants[i].registered_at, i};
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return key_less(a.second, b.second);
  });
  // Fields read at their slots in the first registrant's names (shared by a build's).
  const auto names = registrants.empty() ? nullptr : registrants.front().values.names();
  const auto status = RegistrantValues::slot(names, "status"), chosen = RegistrantValues::slot(names, "sessions");
  std::vector<std::vector<std::size_t>> seats(registrants.size());  // registrant → confirmed sessions
  for (const auto& [when, i] : order) {
    const Registrant& r = registrants[i];
    if (!r.active(status)) continue;
    for (const auto& key : list_items(r.value(chosen))) {
      auto it = by_key.find(key);
      if (it == by_key.end()) continue;
      SessionUse& use = out.sessions[it->second];
      if (sessions[it->second].status == EventStatus::cancelled) use.affected.push_back(i);
      else if (!use.capacity || static_cast<std::int64_t>(use.confirmed.size()) < *use.capacity) {
        use.confirmed.push_back(i);
        seats[i].push_back(it->second);
      } else use.waitlisted.push_back(i);
    }
  }
  std::vector<std::size_t> by_registrant_key(registrants.size());
  std::iota(by_registrant_key.begin(), by_registrant_key.end(), 0);
  if (!in_key_order) std::sort(by_registrant_key.begin(), by_registrant_key.end(), key_less);
  for (std::size_t i : by_registrant_key) {
    auto& mine = seats[i];
    std::sort(mine.begin(), mine.end(), [&](std::size_t a, std::size_t b) {
      if (sessions[a].starts_at != sessions[b].starts_at) return sessions[a].starts_at < sessions[b].starts_at;
      return sessions[a].key < sessions[b].key;
    });
    for (std::size_t a = 0; a < mine.size(); ++a)
      for (std::size_t b = a + 1; b < mine.size(); ++b)
        if (sessions[mine[b]].starts_at < sessions[mine[a]].ends_at)
          out.conflicts.push_back({i, sessions[mine[a]].key, sessions[mine[b]].key});
  }
  return out;
}

}  // namespace marquee::pipeline
