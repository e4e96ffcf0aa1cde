#include "adapters/web/schedule_feeds.hpp"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "adapters/http/problem.hpp"
#include "adapters/formats/frab_writer.hpp"
#include "adapters/formats/ics_writer.hpp"
#include "core/time_zone.hpp"
#include "adapters/render/templates.hpp"
#include "adapters/render/change_text.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

constexpr const char* kCalendar = "text/calendar; charset=utf-8";
constexpr const char* kCache = "public, max-age=30, stale-while-revalidate=60";
constexpr int kAtomEntries = 100;
constexpr std::size_t kAddedShown = 20;  // a snapshot adding more events is summarised on the page

using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::object;

std::string detail_of(const EventChange& c, const char* field, bool after) {
  for (const auto& d : c.details)
    if (d.field == field) return std::string(after ? d.after : d.before);
  return "";
}

std::string zone_of(const EventChange& c) {
  std::string z = detail_of(c, "time_zone", true);
  if (z.empty()) z = detail_of(c, "time_zone", false);
  return z.empty() ? "UTC" : z;
}

std::string title_of(const EventChange& c) {
  std::string t = detail_of(c, "title", c.kind != ChangeKind::removed);
  return t.empty() ? c.event_key : t;
}

// "added", "removed", "cancelled", "moved" (time or place) or "changed".
std::string badge_of(const EventChange& c) {
  if (c.kind == ChangeKind::added) return "added";
  if (c.kind == ChangeKind::removed) return "removed";
  if (detail_of(c, "status", true) == "cancelled") return "cancelled";
  for (const char* f : {"starts_at", "ends_at", "venue", "room", "address"})
    if (std::find(c.fields.begin(), c.fields.end(), f) != c.fields.end()) return "moved";
  return "changed";
}

std::vector<std::string> lines_of(const EventChange& c) {
  std::vector<std::string> out;
  const std::string zone = zone_of(c);
  if (c.kind == ChangeKind::added) {
    const std::string start = detail_of(c, "starts_at", true);
    if (!start.empty()) out.push_back(field_value_text("starts_at", start, zone) + " (" + zone + ")");
    return out;
  }
  if (c.kind == ChangeKind::removed) return out;
  for (const auto& f : c.fields) {
    bool described = false;
    for (const auto& d : c.details)
      if (d.field == f) {
        described = true;
        const std::string before = field_value_text(f, d.before, zone), after = field_value_text(f, d.after, zone);
        out.push_back(field_label(f) + ": " + (before.empty() ? "(none)" : before) + " → " + (after.empty() ? "(none)" : after));
      }
    if (!described) out.push_back(field_label(f) + " updated");
  }
  return out;
}

std::string utc_text(UnixSeconds t) {
  const LocalTime l = to_local(t, "UTC");
  return day_label(l.date) + ", " + l.time + " UTC";
}

std::string changelog_html(const SiteInfo& site, const Programme& p) {
  data updates{list{}};
  const auto& log = p.publication().changelog;
  for (std::size_t i = 0; i < log.size();) {
    const std::int64_t snapshot = log[i].snapshot;
    data u{object{}};
    u.set("snapshot", std::to_string(snapshot));
    u.set("when", utc_text(log[i].published_at));
    u.set("rollback", log[i].kind == "rollback");
    set_text(u, "note", log[i].note);
    data items{list{}};
    std::size_t added = 0, shown_added = 0;
    for (; i < log.size() && log[i].snapshot == snapshot; ++i) {
      const EventChange& c = log[i].change;
      if (c.kind == ChangeKind::added && ++added > kAddedShown) continue;
      if (c.kind == ChangeKind::added) ++shown_added;
      data item{object{}};
      item.set("badge", badge_of(c));
      item.set("title", title_of(c));
      set_text(item, "href", c.kind == ChangeKind::removed || !p.find(c.event_key) ? "" : "/events/" + c.event_key);
      data lines{list{}};
      for (const auto& l : lines_of(c)) lines.push_back(l);
      item.set("lines", lines);
      items.push_back(item);
    }
    u.set("items", items);
    set_text(u, "more", added > shown_added ? std::to_string(added - shown_added) + " added events" : "");
    updates.push_back(u);
  }
  data d{object{}};
  d.set("updates", updates);
  d.set("version", p.publication().version());
  return layout_page(site, "Programme changes", render_template("changelog", d));
}

boost::json::object change_json(const ChangelogEntry& e, const std::string& base, const Programme& p) {
  namespace json = boost::json;
  const EventChange& c = e.change;
  const std::string zone = zone_of(c);
  json::array fields, details;
  for (const auto& f : c.fields) fields.push_back(json::string(f));
  auto raw = [&](std::string_view field, std::string_view v) -> json::value {
    if (v.empty()) return nullptr;
    if (field == "starts_at" || field == "ends_at") return json::string(format_rfc3339(std::stoll(std::string(v)), zone));
    return json::string(v);
  };
  for (const auto& d : c.details)
    details.push_back(json::object{{"field", d.field},
                                   {"label", field_label(d.field)},
                                   {"before", raw(d.field, d.before)},
                                   {"after", raw(d.field, d.after)},
                                   {"changed", c.kind != ChangeKind::changed ||
                                                   std::find(c.fields.begin(), c.fields.end(), d.field) != c.fields.end()}});
  json::object o{{"snapshot", e.snapshot},
                 {"published_at", format_utc(e.published_at)},
                 {"kind", e.kind},
                 {"event_key", c.event_key},
                 {"change", std::string(to_string(c.kind))},
                 {"badge", badge_of(c)},
                 {"title", title_of(c)},
                 {"fields", fields},
                 {"details", details},
                 {"summary", join(lines_of(c), "; ")},
                 {"note", e.note}};
  o["url"] = p.find(c.event_key) ? json::value(base + "/events/" + c.event_key) : json::value(nullptr);
  return o;
}

std::string changelog_atom(const SiteInfo& site, const Programme& p, const std::string& base) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  auto feed = doc.append_child("feed");
  feed.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
  feed.append_child("title").text().set((site.name + ": programme changes").c_str());
  feed.append_child("id").text().set((base + "/changelog").c_str());
  const auto& log = p.publication().changelog;
  feed.append_child("updated").text().set(format_utc(log.empty() ? 0 : log.front().published_at).c_str());
  auto self = feed.append_child("link");
  self.append_attribute("rel") = "self";
  self.append_attribute("href") = (base + "/changelog.atom").c_str();
  auto alt = feed.append_child("link");
  alt.append_attribute("rel") = "alternate";
  alt.append_attribute("href") = (base + "/changelog").c_str();
  feed.append_child("author").append_child("name").text().set(site.name.c_str());
  int n = 0;
  for (const auto& e : log) {
    if (++n > kAtomEntries) break;
    const EventChange& c = e.change;
    auto entry = feed.append_child("entry");
    std::string badge = badge_of(c);
    badge[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(badge[0])));
    entry.append_child("title").text().set((badge + ": " + title_of(c)).c_str());
    entry.append_child("id").text().set((base + "/changelog#update-" + std::to_string(e.snapshot) + "-" + c.event_key).c_str());
    entry.append_child("updated").text().set(format_utc(e.published_at).c_str());
    if (p.find(c.event_key)) {
      auto link = entry.append_child("link");
      link.append_attribute("href") = (base + "/events/" + c.event_key).c_str();
    }
    auto summary = entry.append_child("summary");
    summary.append_attribute("type") = "text";
    std::string text = join(lines_of(c), "\n");
    if (text.empty()) text = badge + " in update " + std::to_string(e.snapshot);
    if (!e.note.empty()) text += "\n\nUpdate " + std::to_string(e.snapshot) + ": " + e.note;
    summary.text().set(text.c_str());
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

bool matches(const Event& e, const std::string& category, const std::string& tag) {
  if (!category.empty() && ascii_lower(e.category) != ascii_lower(category)) return false;
  if (!tag.empty() && std::none_of(e.tags.begin(), e.tags.end(), [&](const std::string& t) { return ascii_lower(t) == ascii_lower(tag); }))
    return false;
  return true;
}

std::string query_value(const Request& r, const std::string& name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? "" : trim(it->second);
}

}  // namespace

// The feeds of one programme, each rendered (and compressed) on its first
// request: a publish installs the programme without rendering feeds no one
// has asked for yet (issue 22: at 100,000 events they took seconds).
struct ScheduleFeeds::Rendered {
  ProgrammePtr programme;
  UnixSeconds stamp = 0;
  std::string site_name, base_url;
  RenderOnce calendar, schedule_xml, schedule_json, changelog_html, changelog_atom, changelog_json;
  LazyCache event_ics;
};

ScheduleFeeds::ScheduleFeeds(SiteRef site, std::string public_url) : site_(std::move(site)), public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

namespace {
std::string programme_ics(const Programme& p, const std::string& base, const std::string& name, UnixSeconds stamp,
                          const std::string& category, const std::string& tag) {
  std::vector<CalendarEntry> entries;
  for (const auto& e : p.entries())
    if (matches(e.event, category, tag))
      entries.push_back(CalendarEntry{&e.event, p.publication().sequence(e.event.key), base + "/events/" + e.event.key});
  CalendarOptions opt;
  opt.method = "PUBLISH";
  opt.name = name;
  return calendar_ics(entries, stamp, opt);
}
}  // namespace

std::string ScheduleFeeds::base_url() const {
  std::string url = site_.get().public_url;
  if (url.empty()) url = public_url_;
  return url;
}

void ScheduleFeeds::install(const ProgrammePtr& programme) {
  auto next = std::make_shared<Rendered>();
  next->programme = programme;
  // DTSTAMP: when the snapshot was published, so equal snapshots render equal bytes (and ETags).
  next->stamp = programme->publication().published_at;
  next->site_name = site_.get().name;
  next->base_url = base_url();
  std::atomic_store(&rendered_, std::shared_ptr<const Rendered>(std::move(next)));
}

const RenderOnce& ScheduleFeeds::slot(const Rendered& r, Feed which) {
  switch (which) {
    case Feed::calendar: return r.calendar;
    case Feed::schedule_xml: return r.schedule_xml;
    case Feed::schedule_json: return r.schedule_json;
    case Feed::changelog_html: return r.changelog_html;
    case Feed::changelog_atom: return r.changelog_atom;
    case Feed::changelog_json: break;
  }
  return r.changelog_json;
}

bool ScheduleFeeds::pending(Feed which) const {
  auto cur = rendered();
  return cur && !slot(*cur, which).ready();
}

const Representation& ScheduleFeeds::feed(const Rendered& r, Feed which) const {
  const Programme& p = *r.programme;
  switch (which) {
    case Feed::calendar:
      return r.calendar.get([&] {
        return make_representation(programme_ics(p, r.base_url, r.site_name, r.stamp, "", ""), kCalendar, kCache);
      });
    case Feed::schedule_xml:
      return r.schedule_xml.get([&] {
        return make_representation(frab_schedule_xml(p, FrabOptions{r.site_name, r.base_url}), "application/xml; charset=utf-8", kCache);
      });
    case Feed::schedule_json:
      return r.schedule_json.get([&] {
        return make_representation(frab_schedule_json(p, FrabOptions{r.site_name, r.base_url}), "application/json", kCache);
      });
    case Feed::changelog_html:
      return r.changelog_html.get([&] { return make_representation(changelog_html(site_, p), "text/html; charset=utf-8", kCache); });
    case Feed::changelog_atom:
      return r.changelog_atom.get([&] {
        return make_representation(changelog_atom(site_, p, r.base_url), "application/atom+xml; charset=utf-8", kCache);
      });
    case Feed::changelog_json:
      break;
  }
  return r.changelog_json.get([&] {
    boost::json::array changes;
    int n = 0;
    for (const auto& e : p.publication().changelog)
      if (++n <= kAtomEntries) changes.push_back(change_json(e, r.base_url, p));
    return make_representation(boost::json::serialize(boost::json::object{{"version", p.publication().version()},
                                                                          {"snapshot", p.publication().snapshot},
                                                                          {"changes", changes}}),
                               "application/json", kCache);
  });
}

Response ScheduleFeeds::calendar(const Request& req) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const std::string category = query_value(req, "category"), tag = query_value(req, "tag");
  if (category.empty() && tag.empty()) return respond_with(feed(*cur, Feed::calendar), req);
  return on_demand(programme_ics(*cur->programme, base_url(), site_.get().name + (category.empty() ? "" : ": " + category) +
                                                                   (tag.empty() ? "" : " #" + tag),
                                 cur->stamp, category, tag),
                   kCalendar, req);
}

Response ScheduleFeeds::selection_calendar(const Request& req, const std::vector<std::string>& keys,
                                           const std::string& name) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const std::set<std::string> wanted(keys.begin(), keys.end());
  std::vector<CalendarEntry> entries;
  const Programme& p = *cur->programme;
  for (const auto& e : p.entries())
    if (wanted.count(e.event.key))
      entries.push_back(CalendarEntry{&e.event, p.publication().sequence(e.event.key), base_url() + "/events/" + e.event.key});
  CalendarOptions opt;
  opt.method = "PUBLISH";
  opt.name = name;
  Response r = on_demand(calendar_ics(entries, cur->stamp, opt), kCalendar, req);
  for (auto& [k, v] : r.headers)
    if (k == "Cache-Control") v = "private, max-age=60";
  return r;
}

Response ScheduleFeeds::event_calendar(const Request& req, const std::string& key) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const ProgrammeEntry* entry = cur->programme->find(key);
  if (!entry) {
    Response r = on_demand(error_page_html(site_, 404, "Event not found", "There is no event with this address in the programme."),
                           "text/html; charset=utf-8", req);
    r.status = 404;
    return r;
  }
  return respond_with(cached(cur->event_ics, key, [&] {
                        CalendarOptions opt;
                        opt.method = "PUBLISH";
                        Representation rep = make_representation(
                            calendar_ics({CalendarEntry{&entry->event, cur->programme->publication().sequence(key),
                                                        base_url() + "/events/" + key}},
                                         cur->stamp, opt),
                            kCalendar, kCache);
                        return rep;
                      }),
                      req);
}

Response ScheduleFeeds::changelog_api(const Request& req) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const std::string since_text = query_value(req, "since"), limit_text = query_value(req, "limit"), event = query_value(req, "event");
  if (since_text.empty() && limit_text.empty() && event.empty()) return respond_with(feed(*cur, Feed::changelog_json), req);
  std::int64_t since = 0, limit = 100;
  try {
    if (!since_text.empty()) since = std::stoll(since_text);
    if (!limit_text.empty()) limit = std::stoll(limit_text);
  } catch (const std::exception&) {
    return problem(400, "/problems/invalid-parameter", "Invalid query parameter", "since and limit are whole numbers", req.path);
  }
  if (since < 0 || limit < 1 || limit > 1000)
    return problem(400, "/problems/invalid-parameter", "Invalid query parameter",
                   "since must be a snapshot number (0 or more) and limit between 1 and 1000", req.path);
  boost::json::array changes;
  for (const auto& e : cur->programme->publication().changelog) {
    if (e.snapshot <= since || (!event.empty() && e.change.event_key != event)) continue;
    if (static_cast<std::int64_t>(changes.size()) >= limit) break;
    changes.push_back(change_json(e, base_url(), *cur->programme));
  }
  return on_demand(boost::json::serialize(boost::json::object{{"version", cur->programme->publication().version()},
                                                               {"snapshot", cur->programme->publication().snapshot},
                                                               {"changes", changes}}),
                   "application/json", req);
}

void ScheduleFeeds::add_routes(Router& router) {
  auto fixed = [this](Feed which) {
    return [this, which](const Request& r, const PathParams&) {
      auto cur = rendered();
      if (!cur) return programme_loading(r);
      return respond_with(feed(*cur, which), r);
    };
  };
  // A feed fetch counts per feed (its path: filter values are the client's and unbounded);
  // the same client's polls within a day are one subscriber (analytics).
  auto counted = [this](const Request& r, Response resp) {
    return count_if_served(counter_, r, std::move(resp), Signal{SignalKind::feed_fetch, "", r.path.substr(1)});
  };
  // A feed not rendered yet for this snapshot (and a filtered calendar, made
  // per request) is made on the worker pool: at 100,000 events it takes
  // seconds, which must not hold an I/O thread.
  const auto on_pool_until_rendered = [this](Route route, Feed which, bool filtered_too) {
    route.blocking_when = [this, which, filtered_too](const Request& r) {
      return pending(which) || (filtered_too && (!query_value(r, "category").empty() || !query_value(r, "tag").empty()));
    };
    return route;
  };
  router.add(on_pool_until_rendered({"GET", "/calendar.ics", Access::public_access,
                                     [this, counted](const Request& r, const PathParams&) { return counted(r, calendar(r)); }},
                                    Feed::calendar, true));
  router.add({"GET", "/events/{key}.ics", Access::public_access, [this](const Request& r, const PathParams& p) {
                return count_if_served(counter_, r, event_calendar(r, p.at("key")),
                                       Signal{SignalKind::calendar_save, p.at("key"), "ics"});
              }});
  for (auto [path, which] : {std::pair{"/schedule.xml", Feed::schedule_xml}, std::pair{"/schedule.json", Feed::schedule_json},
                             std::pair{"/changelog.atom", Feed::changelog_atom}})
    router.add(on_pool_until_rendered({"GET", path, Access::public_access,
                                       [counted, handler = fixed(which)](const Request& r, const PathParams& p) {
                                         return counted(r, handler(r, p));
                                       }},
                                      which, false));
  router.add(on_pool_until_rendered({"GET", "/changelog", Access::public_access, fixed(Feed::changelog_html)},
                                    Feed::changelog_html, false));
  router.add(on_pool_until_rendered({"GET", "/api/v1/changelog", Access::public_access,
                                     [this](const Request& r, const PathParams&) { return changelog_api(r); }},
                                    Feed::changelog_json, false));
}

}  // namespace marquee
