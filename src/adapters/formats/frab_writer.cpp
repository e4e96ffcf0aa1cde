#include "adapters/formats/frab_writer.hpp"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/time_zone.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

constexpr int kDayChangeHour = 4;

struct FrabEvent {
  const ProgrammeEntry* entry = nullptr;
  std::int64_t id = 0;
  std::string guid, room, day, date, start, duration, type, language, slug, url;
  std::vector<std::string> persons;
};

struct FrabDay {
  std::string date, start, end;
  std::map<std::string, std::vector<const FrabEvent*>> rooms;
};

struct Model {
  std::string acronym, zone, start_date, end_date;
  std::vector<FrabEvent> events;       // by key
  std::map<std::string, FrabDay> days;  // by date
  std::set<std::string> rooms, tracks;
};

std::string two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

std::string zone_of(const Programme& p) {
  std::map<std::string, int> count;
  for (const auto& e : p.entries()) ++count[e.event.time_zone];
  std::string best = "UTC";
  int n = 0;
  for (const auto& [z, c] : count)
    if (c > n) best = z, n = c;
  return best;
}

// The conference day (local date in `zone`) an instant belongs to.
std::string day_of(UnixSeconds t, const std::string& zone) { return to_local(t - kDayChangeHour * 3600, zone).date; }

std::string day_bound(const std::string& date, const std::string& zone, int add_days_count, int hour, int minute) {
  DateTimeText d{};
  d.year = std::stoi(date.substr(0, 4));
  d.month = std::stoi(date.substr(5, 2));
  d.day = std::stoi(date.substr(8, 2));
  d.hour = hour;
  d.minute = minute;
  d.has_time = true;
  return format_rfc3339(to_utc(add_days(d, add_days_count), zone), zone);
}

Model build(const Programme& p, const FrabOptions& o) {
  Model m;
  m.acronym = frab_acronym(o.title);
  m.zone = zone_of(p);
  std::vector<const ProgrammeEntry*> entries;
  for (const auto& e : p.entries())
    if (e.event.status != EventStatus::cancelled) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->event.key < b->event.key; });
  std::set<std::int64_t> ids;
  for (const auto* entry : entries) {
    const Event& e = entry->event;
    FrabEvent f;
    f.entry = entry;
    f.id = std::stoll(sha256_hex("frab-id:" + e.key).substr(0, 8), nullptr, 16) % 2147483647 + 1;
    while (!ids.insert(f.id).second) f.id = f.id % 2147483647 + 1;
    f.guid = name_uuid("event:" + e.key);
    f.room = e.venue.empty() ? (e.room.empty() ? "Main programme" : e.room) : e.room.empty() ? e.venue : e.venue + " – " + e.room;
    f.day = day_of(e.starts_at, m.zone);
    f.date = format_rfc3339(e.starts_at, e.time_zone);
    f.start = entry->local_start.empty() ? "00:00" : entry->local_start;
    const std::int64_t minutes = std::min<std::int64_t>((e.ends_at - e.starts_at) / 60, 99 * 60 + 59);
    f.duration = two(static_cast<int>(minutes / 60)) + ":" + two(static_cast<int>(minutes % 60));
    f.type = "other";
    for (const auto& t : e.tags) {
      if (t.rfind("lang:", 0) == 0) {
        if (f.language.empty()) f.language = t.substr(5);
      } else if (f.type == "other") {
        f.type = t;
      }
    }
    std::string title_slug = slugify(e.title, 40);
    std::replace(title_slug.begin(), title_slug.end(), '-', '_');
    f.slug = m.acronym + "-" + std::to_string(f.id) + "-" + (title_slug.size() >= 4 ? title_slug : "event");
    while (!f.slug.empty() && !std::isalnum(static_cast<unsigned char>(f.slug.back()))) f.slug.pop_back();
    f.url = o.base_url + "/events/" + e.key;
    f.persons = split_list(e.organizer, ',');
    m.rooms.insert(f.room);
    if (!e.category.empty()) m.tracks.insert(e.category);
    m.events.push_back(std::move(f));
  }
  for (const auto& f : m.events) {
    FrabDay& d = m.days[f.day];
    d.date = f.day;
    d.rooms[f.room].push_back(&f);
  }
  for (auto& [date, d] : m.days) {
    d.start = day_bound(date, m.zone, 0, kDayChangeHour, 0);
    d.end = day_bound(date, m.zone, 1, kDayChangeHour - 1, 59);
    for (auto& [room, list] : d.rooms)
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) {
        return a->entry->event.starts_at != b->entry->event.starts_at ? a->entry->event.starts_at < b->entry->event.starts_at
                                                                       : a->entry->event.key < b->entry->event.key;
      });
  }
  if (!m.days.empty()) {
    m.start_date = m.days.begin()->first;
    m.end_date = m.days.rbegin()->first;
  }
  return m;
}

void add_text(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).text().set(value.c_str());
}

}  // namespace

std::string frab_acronym(const std::string& title) {
  std::string out = slugify(title, 40);
  std::replace(out.begin(), out.end(), '-', '_');
  while (out.size() < 4) out += "_";
  if (out == "____") out = "marquee";
  return out;
}

std::string name_uuid(const std::string& name) {
  std::string h = sha256_hex("marquee-uuid:" + name).substr(0, 32);
  h[12] = '8';                                                           // version 8 (custom)
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];           // RFC variant
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string frab_schedule_xml(const Programme& p, const FrabOptions& o) {
  const Model m = build(p, o);
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto schedule = doc.append_child("schedule");
  auto gen = schedule.append_child("generator");
  gen.append_attribute("name") = "marquee";
  gen.append_attribute("version") = "0.1.0";
  add_text(schedule, "url", o.base_url + "/schedule.xml");
  add_text(schedule, "version", p.publication().version());
  auto conf = schedule.append_child("conference");
  add_text(conf, "title", o.title);
  add_text(conf, "acronym", m.acronym);
  if (!m.start_date.empty()) {
    add_text(conf, "start", m.start_date);
    add_text(conf, "end", m.end_date);
  }
  add_text(conf, "days", std::to_string(m.days.size()));
  add_text(conf, "timeslot_duration", "00:15");
  add_text(conf, "base_url", o.base_url + "/");
  add_text(conf, "time_zone_name", m.zone);
  for (const auto& t : m.tracks) conf.append_child("track").append_attribute("name") = t.c_str();
  int index = 0;
  for (const auto& [date, d] : m.days) {
    auto day = schedule.append_child("day");
    day.append_attribute("index") = ++index;
    day.append_attribute("date") = date.c_str();
    day.append_attribute("start") = d.start.c_str();
    day.append_attribute("end") = d.end.c_str();
    for (const auto& [room_name, list] : d.rooms) {
      auto room = day.append_child("room");
      room.append_attribute("name") = room_name.c_str();
      room.append_attribute("guid") = name_uuid("room:" + room_name).c_str();
      for (const FrabEvent* f : list) {
        const Event& e = f->entry->event;
        auto ev = room.append_child("event");
        ev.append_attribute("id") = static_cast<long long>(f->id);
        ev.append_attribute("guid") = f->guid.c_str();
        add_text(ev, "date", f->date);
        add_text(ev, "start", f->start);
        add_text(ev, "duration", f->duration);
        add_text(ev, "room", f->room);
        add_text(ev, "slug", f->slug);
        add_text(ev, "url", f->url);
        add_text(ev, "title", e.title);
        add_text(ev, "subtitle", "");
        add_text(ev, "track", e.category);
        add_text(ev, "type", f->type);
        add_text(ev, "language", f->language);
        add_text(ev, "abstract", e.description);
        add_text(ev, "description", "");
        if (has_http_scheme(e.image_url)) add_text(ev, "logo", e.image_url);
        auto persons = ev.append_child("persons");
        for (const auto& name : f->persons) {
          auto person = persons.append_child("person");
          person.append_attribute("guid") = name_uuid("person:" + name).c_str();
          person.text().set(name.c_str());
        }
        ev.append_child("links");
        ev.append_child("attachments");
      }
    }
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

std::string frab_schedule_json(const Programme& p, const FrabOptions& o) {
  namespace json = boost::json;
  const Model m = build(p, o);
  json::array days;
  int index = 0;
  for (const auto& [date, d] : m.days) {
    json::object rooms;
    for (const auto& [room_name, list] : d.rooms) {
      json::array events;
      for (const FrabEvent* f : list) {
        const Event& e = f->entry->event;
        json::array persons;
        for (const auto& name : f->persons) persons.push_back(json::object{{"name", name}, {"guid", name_uuid("person:" + name)}});
        json::object ev{{"id", f->id},           {"guid", f->guid},        {"date", f->date},
                        {"start", f->start},     {"duration", f->duration}, {"room", f->room},
                        {"slug", f->slug},       {"url", f->url},          {"title", e.title},
                        {"subtitle", ""},        {"track", e.category.empty() ? json::value(nullptr) : json::value(e.category)},
                        {"type", f->type},       {"language", f->language.empty() ? json::value(nullptr) : json::value(f->language)},
                        {"abstract", e.description}, {"description", nullptr},
                        {"persons", persons},    {"links", json::array{}},  {"attachments", json::array{}}};
        if (has_http_scheme(e.image_url)) ev["logo"] = e.image_url;
        events.push_back(std::move(ev));
      }
      rooms[room_name] = std::move(events);
    }
    days.push_back(json::object{{"index", ++index}, {"date", date}, {"day_start", d.start}, {"day_end", d.end}, {"rooms", rooms}});
  }
  json::array rooms, tracks;
  for (const auto& r : m.rooms) rooms.push_back(json::object{{"name", r}, {"guid", name_uuid("room:" + r)}});
  for (const auto& t : m.tracks) tracks.push_back(json::object{{"name", t}});
  json::object conference{{"acronym", m.acronym},  {"title", o.title},
                          {"start", m.start_date}, {"end", m.end_date},
                          {"daysCount", static_cast<std::int64_t>(m.days.size())}, {"timeslot_duration", "00:15"},
                          {"time_zone_name", m.zone}, {"url", o.base_url + "/"},
                          {"rooms", rooms},        {"tracks", tracks},
                          {"days", days}};
  json::object root{{"$schema", "https://c3voc.de/schedule/schema.json"},
                    {"generator", json::object{{"name", "marquee"}, {"version", "0.1.0"}}},
                    {"schedule", json::object{{"version", p.publication().version()},
                                              {"base_url", o.base_url + "/"},
                                              {"conference", conference}}}};
  return json::serialize(root);
}

}  // namespace marquee
