#include "app/pipeline/public_summary.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace json = boost::json;

namespace marquee::pipeline {
namespace {

CountCell cell(const std::string& value, std::int64_t count, std::int64_t threshold) {
  return {value, count, is_small(count, threshold)};
}

std::string local_text(UnixSeconds t, const std::string& zone) {
  const LocalTime l = to_local(t, zone);
  return l.date + " " + l.time;
}

/// An override's effect, against the locked programme when there is one (an
/// override may only confirm a change already made in the programme file).
std::vector<std::string> override_effects(const BuildModel& m, const AppliedOverride& a) {
  std::vector<std::string> out;
  const Event* locked = nullptr;
  for (const auto& e : m.locked_sessions)
    if (e.key == a.after.key) locked = &e;
  const Event& b = locked ? *locked : a.before;
  const Event& e = a.after;
  const Override& o = *a.override_;
  if (o.room && b.room != e.room) out.push_back("room: " + (b.room.empty() ? "(none)" : b.room) + " → " + e.room);
  if (o.venue && b.venue != e.venue) out.push_back("venue: " + b.venue + " → " + e.venue);
  if ((o.starts_at || o.ends_at) && (b.starts_at != e.starts_at || b.ends_at != e.ends_at))
    out.push_back("time: " + local_text(b.starts_at, b.time_zone) + "–" + to_local(b.ends_at, b.time_zone).time + " → " +
                  local_text(e.starts_at, e.time_zone) + "–" + to_local(e.ends_at, e.time_zone).time + " (" +
                  e.time_zone + ")");
  if (o.cancelled && b.status != e.status) out.push_back(e.status == EventStatus::cancelled ? "cancelled" : "reinstated");
  if (o.added) out.push_back("added after the lock");
  return out;
}

json::value count_json(const CountCell& c) {
  if (c.suppressed) return nullptr;
  return c.count;
}

}  // namespace

PublicSummary public_summary(const BuildModel& m) {
  const ProjectConfig& c = m.config;
  const std::int64_t t = c.privacy_threshold;
  PublicSummary s;
  s.title = c.title;
  s.threshold = t;
  s.lock_date = c.lock_date;
  s.locked = m.locked;
  std::int64_t active = 0, cancelled = 0, duplicates = 0;
  const auto status = RegistrantValues::slot(m.field_names, "status");
  for (const auto& r : m.registrants) {
    const std::string& st = r.value(status);
    if (st == "cancelled") ++cancelled;
    else if (st == "duplicate") ++duplicates;
    else ++active;
  }
  s.registrants = cell("registrants", active, t);
  s.cancelled = cell("cancelled", cancelled, t);
  s.duplicates_marked = cell("duplicates", duplicates, t);
  std::set<std::size_t> in_conflict;
  for (const auto& conflict : m.allocation.conflicts) in_conflict.insert(conflict.registrant);
  s.conflicts = is_small(static_cast<std::int64_t>(in_conflict.size()), t) ? -1 : static_cast<std::int64_t>(in_conflict.size());

  std::map<std::string, std::vector<std::string>> effects;  // session → override effects
  for (const auto& a : m.overrides)
    for (auto& e : override_effects(m, a)) effects[a.override_->session].push_back(e);
  std::map<std::string, std::pair<std::int64_t, std::set<std::size_t>>> days;
  for (std::size_t i = 0; i < m.sessions.size(); ++i) {
    const Event& e = m.sessions[i];
    const SessionUse& use = m.allocation.sessions[i];
    SessionRow row;
    row.key = e.key;
    row.title = e.title;
    row.category = e.category;
    row.venue = e.venue;
    row.room = e.room;
    row.time_zone = e.time_zone;
    const LocalTime start = to_local(e.starts_at, e.time_zone);
    row.day = start.date;
    row.start_local = start.time;
    row.end_local = to_local(e.ends_at, e.time_zone).time;
    row.starts_at = format_rfc3339(e.starts_at, e.time_zone);
    row.ends_at = format_rfc3339(e.ends_at, e.time_zone);
    row.cancelled = e.status == EventStatus::cancelled;
    row.changed_after_lock = std::binary_search(m.changed_after_lock.begin(), m.changed_after_lock.end(), e.key);
    row.changes = effects[e.key];
    row.capacity = use.capacity;
    row.registered = cell("registered", static_cast<std::int64_t>(use.confirmed.size()), t);
    row.waitlisted = cell("waitlisted", static_cast<std::int64_t>(use.waitlisted.size()), t);
    s.sessions.push_back(row);
    auto& day = days[row.day];
    if (!row.cancelled) {
      ++day.first;
      day.second.insert(use.confirmed.begin(), use.confirmed.end());
    }
  }
  for (auto& [day, v] : days)
    s.days.push_back({day, v.first, cell(day, static_cast<std::int64_t>(v.second.size()), t)});

  for (const auto& name : c.field_order) {
    const FieldSpec& spec = c.fields.at(name);
    if (!spec.summary) continue;
    std::map<std::string, std::int64_t> counts;
    const auto field = RegistrantValues::slot(m.field_names, name);
    for (const auto& r : m.registrants) {
      if (!r.active(status)) continue;
      const std::string& v = r.value(field);
      if (v.empty()) ++counts["(no answer)"];
      else if (spec.kind == FieldKind::list)
        for (const auto& item : list_items(v)) ++counts[item];
      else ++counts[v];
    }
    Dimension d{name, spec.label, {}};
    for (const auto& [value, n] : counts) d.cells.push_back(cell(value, n, t));
    std::stable_sort(d.cells.begin(), d.cells.end(),
                     [](const CountCell& a, const CountCell& b) { return a.count > b.count; });
    suppress_small_counts(d.cells, t);
    s.dimensions.push_back(std::move(d));
  }

  for (const auto& a : m.patches) {
    const Patch& p = *a.patch;
    const FieldSpec& spec = c.fields.at(p.field);
    CorrectionRow row{"patch", p.where(), a.record, p.field, "", p.reason, p.author, p.date, false};
    row.effect = spec.personal ? "changed (personal field, value not published)"
                               : "\"" + a.before + "\" → \"" + a.after + "\"";
    row.after_lock = !c.lock_date.empty() && p.date > c.lock_date;
    s.corrections.push_back(row);
  }
  for (const auto& a : m.overrides) {
    const Override& o = *a.override_;
    CorrectionRow row{"override", o.where(), o.session, "schedule", join(override_effects(m, a), "; "),
                      o.reason,   o.author,  o.date,    !c.lock_date.empty() && o.date > c.lock_date};
    s.corrections.push_back(row);
  }
  return s;
}

std::string summary_json(const PublicSummary& s) {
  json::object root;
  root["title"] = s.title;
  root["privacy_threshold"] = s.threshold;
  root["programme_lock"] = s.locked ? json::value(s.lock_date) : json::value(nullptr);
  json::object totals;
  for (const CountCell* c : {&s.registrants, &s.cancelled, &s.duplicates_marked}) totals[c->value] = count_json(*c);
  totals["registrants_with_overlapping_sessions"] = s.conflicts < 0 ? json::value(nullptr) : json::value(s.conflicts);
  root["totals"] = std::move(totals);
  json::array sessions;
  for (const auto& r : s.sessions) {
    json::object o;
    o["key"] = r.key;
    o["title"] = r.title;
    o["category"] = r.category;
    o["day"] = r.day;
    o["starts_at"] = r.starts_at;
    o["ends_at"] = r.ends_at;
    o["time_zone"] = r.time_zone;
    o["venue"] = r.venue;
    o["room"] = r.room;
    o["status"] = r.cancelled ? "cancelled" : "scheduled";
    o["changed_after_lock"] = r.changed_after_lock;
    json::array changes;
    for (const auto& ch : r.changes) changes.emplace_back(ch);
    o["changes"] = std::move(changes);
    o["capacity"] = r.capacity ? json::value(*r.capacity) : json::value(nullptr);
    o["registered"] = count_json(r.registered);
    o["waitlisted"] = count_json(r.waitlisted);
    o["suppressed"] = r.registered.suppressed || r.waitlisted.suppressed;
    sessions.push_back(std::move(o));
  }
  root["sessions"] = std::move(sessions);
  json::array days;
  for (const auto& d : s.days)
    days.push_back(json::object{{"day", d.day}, {"sessions", d.sessions}, {"attendees", count_json(d.attendees)},
                                {"suppressed", d.attendees.suppressed}});
  root["days"] = std::move(days);
  json::array dims;
  for (const auto& d : s.dimensions) {
    json::array cells;
    for (const auto& c : d.cells)
      cells.push_back(json::object{{"value", c.value}, {"count", count_json(c)}, {"suppressed", c.suppressed}});
    dims.push_back(json::object{{"field", d.field}, {"label", d.label}, {"values", std::move(cells)}});
  }
  root["summaries"] = std::move(dims);
  json::array corrections;
  for (const auto& c : s.corrections)
    corrections.push_back(json::object{{"kind", c.kind},     {"where", c.where},   {"target", c.target},
                                       {"field", c.field},   {"effect", c.effect}, {"reason", c.reason},
                                       {"author", c.author}, {"date", c.date},     {"after_lock", c.after_lock}});
  root["corrections"] = std::move(corrections);
  return json::serialize(root) + "\n";
}

OutputTable summary_table(const PublicSummary& s) {
  OutputTable t;
  t.header = {"dimension", "value", "count"};
  for (const CountCell* c : {&s.registrants, &s.cancelled, &s.duplicates_marked})
    t.rows.push_back({"totals", c->value, count_text(*c, s.threshold)});
  for (const auto& d : s.days) t.rows.push_back({"day", d.day, count_text(d.attendees, s.threshold)});
  for (const auto& d : s.dimensions)
    for (const auto& c : d.cells) t.rows.push_back({d.field, c.value, count_text(c, s.threshold)});
  return t;
}

OutputTable sessions_table(const PublicSummary& s) {
  OutputTable t;
  t.header = {"key", "title", "day", "start", "end", "time_zone", "venue", "room", "category", "status",
              "capacity", "registered", "waitlisted", "changed_after_lock", "changes"};
  for (const auto& r : s.sessions)
    t.rows.push_back({r.key, r.title, r.day, r.start_local, r.end_local, r.time_zone, r.venue, r.room, r.category,
                      r.cancelled ? "cancelled" : "scheduled", r.capacity ? std::to_string(*r.capacity) : "",
                      count_text(r.registered, s.threshold), count_text(r.waitlisted, s.threshold),
                      r.changed_after_lock ? "yes" : "no", join(r.changes, "; ")});
  return t;
}

}  // namespace marquee::pipeline
