#include "adapters/formats/frab_source.hpp"

#include <pugixml.hpp>

#include <algorithm>

#include "adapters/formats/html_text.hpp"
#include "core/time_zone.hpp"
#include "core/datetime_text.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

std::string child_text(const pugi::xml_node& n, const char* name) { return trim(n.child(name).text().get()); }

std::int64_t line_of(const std::vector<std::size_t>& line_starts, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), static_cast<std::size_t>(offset));
  return static_cast<std::int64_t>(it - line_starts.begin());
}

}  // namespace

std::vector<SourceRecord> read_frab(std::string_view xml, const std::string& default_zone,
                                    std::vector<RowIssue>* issues, std::string* key_namespace, std::string* fatal) {
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < xml.size(); ++i)
    if (xml[i] == '\n') line_starts.push_back(i + 1);

  pugi::xml_document doc;
  const auto res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res) {
    *fatal = "malformed XML at line " + std::to_string(line_of(line_starts, res.offset)) + ": " + res.description();
    return {};
  }
  const pugi::xml_node schedule = doc.child("schedule");
  if (!schedule) {
    *fatal = "not a frab schedule: the root element is <" + std::string(doc.document_element().name()) +
             ">, expected <schedule>";
    return {};
  }
  const pugi::xml_node conf = schedule.child("conference");
  std::string zone = child_text(conf, "time_zone_name");
  if (zone.empty()) zone = default_zone;
  const std::string acronym = child_text(conf, "acronym");
  const std::string conf_title = child_text(conf, "title");
  *key_namespace = "frab:" + (acronym.empty() ? conf_title : acronym);
  const std::string venue = child_text(conf, "venue").empty() ? conf_title : child_text(conf, "venue");
  std::string base_url = child_text(conf, "base_url");
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  int day_change_minutes = 0;
  if (auto dc = parse_time_of_day(child_text(conf, "day_change"))) day_change_minutes = dc->hour * 60 + dc->minute;

  std::vector<SourceRecord> out;
  for (pugi::xml_node day : schedule.children("day")) {
    const std::string day_date = day.attribute("date").value();
    std::vector<std::pair<pugi::xml_node, std::string>> events;  // event, room name from <room name=…>
    for (pugi::xml_node child : day.children()) {
      if (std::string_view(child.name()) == "event") events.emplace_back(child, "");
      else if (std::string_view(child.name()) == "room")
        for (pugi::xml_node ev : child.children("event")) events.emplace_back(ev, child.attribute("name").value());
    }
    for (auto& [ev, room_name] : events) {
      SourceRecord r;
      r.line = line_of(line_starts, ev.offset_debug());
      const std::string guid = trim(ev.attribute("guid").value());
      const std::string id = trim(ev.attribute("id").value());
      r.record_id = guid.empty() ? id : guid;
      if (r.record_id.empty()) r.record_id = child_text(ev, "slug");
      std::string title = child_text(ev, "title");
      const std::string subtitle = child_text(ev, "subtitle");
      r.values["title"] = title;
      std::vector<std::string> desc;
      if (!subtitle.empty()) desc.push_back("*" + subtitle + "*");
      for (const char* part : {"abstract", "description"}) {
        std::string text = child_text(ev, part);
        if (looks_like_html(text)) text = html_to_markdown(text);
        if (!text.empty()) desc.push_back(std::move(text));
      }
      r.values["description"] = join(desc, "\n\n");
      const std::string date = child_text(ev, "date");
      const std::string start = child_text(ev, "start");
      if (!date.empty() && date.find('T') != std::string::npos) {
        r.values["starts_at"] = date;
      } else if (!day_date.empty() && !start.empty()) {
        std::string d = day_date;
        const auto tod = parse_time_of_day(start);
        const auto dt = parse_datetime_text(day_date, DateOrder::ymd);
        if (tod && dt && tod->hour * 60 + tod->minute < day_change_minutes) {
          // Pentabarf lists events after midnight under the previous day.
          const DateTimeText next = add_days(*dt, 1);
          char buf[16];
          std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", next.year, next.month, next.day);
          d = buf;
        }
        r.values["start_date"] = d;
        r.values["start_time"] = start;
      } else {
        issues->push_back(RowIssue{r.line, "starts_at", "event has neither <date> nor a day date with <start>",
                                   Severity::error, ""});
        continue;
      }
      r.values["duration"] = child_text(ev, "duration");
      r.values["time_zone"] = zone;
      r.values["room"] = child_text(ev, "room").empty() ? room_name : child_text(ev, "room");
      r.values["venue"] = venue;
      r.values["category"] = child_text(ev, "track");
      std::vector<std::string> tags;
      if (!child_text(ev, "type").empty()) tags.push_back(child_text(ev, "type"));
      if (!child_text(ev, "language").empty()) tags.push_back("lang:" + child_text(ev, "language"));
      r.values["tags"] = join(tags, ";");
      std::vector<std::string> persons;
      for (pugi::xml_node p : ev.child("persons").children("person")) {
        std::string name = trim(p.text().get());
        if (!name.empty()) persons.push_back(name);
      }
      r.values["organizer"] = join(persons, ", ");
      r.values["url"] = child_text(ev, "url");
      std::string logo = child_text(ev, "logo");
      if (logo.starts_with("/") && !base_url.empty()) logo = base_url + logo;
      r.values["image_url"] = logo;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace marquee
