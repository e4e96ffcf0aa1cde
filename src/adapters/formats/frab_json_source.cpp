#include "adapters/formats/frab_json_source.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/formats/html_text.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

namespace json = boost::json;

std::string str(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return "";
  return trim(std::string(it->value().as_string()));
}

std::string number_or_string(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->value().is_int64()) return std::to_string(it->value().as_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().as_uint64());
  return str(o, key);
}

std::int64_t line_at(std::string_view text, std::size_t offset) {
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n');
}

}  // namespace

std::vector<SourceRecord> read_frab_json(std::string_view text, const std::string& default_zone,
                                         std::vector<RowIssue>* issues, std::string* key_namespace, std::string* fatal) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    const std::size_t line_start = text.rfind('\n', used ? used - 1 : 0);
    *fatal = "malformed JSON at line " + std::to_string(line_at(text, used)) + ", column " +
             std::to_string(used - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1) + ": " + ec.message();
    return {};
  }
  const json::value root = parser.release();
  auto shape = [&](const std::string& path, const std::string& want) {
    *fatal = "not a frab schedule.json: " + path + " must be " + want;
    return std::vector<SourceRecord>{};
  };
  if (!root.is_object() || !root.as_object().contains("schedule") || !root.as_object().at("schedule").is_object())
    return shape("schedule", "an object");
  const json::object& schedule = root.as_object().at("schedule").as_object();
  if (!schedule.contains("conference") || !schedule.at("conference").is_object())
    return shape("schedule.conference", "an object");
  const json::object& conf = schedule.at("conference").as_object();
  if (!conf.contains("days") || !conf.at("days").is_array()) return shape("schedule.conference.days", "an array");
  std::string zone = str(conf, "time_zone_name");
  if (zone.empty()) zone = default_zone;
  const std::string acronym = str(conf, "acronym"), title = str(conf, "title");
  *key_namespace = "frab:" + (acronym.empty() ? title : acronym);
  std::string base_url = str(schedule, "base_url");
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();

  std::vector<SourceRecord> out;
  std::size_t search_from = 0;
  std::int64_t ordinal = 0;
  const json::array& days = conf.at("days").as_array();
  for (std::size_t d = 0; d < days.size(); ++d) {
    const std::string day_path = "schedule.conference.days[" + std::to_string(d) + "]";
    if (!days[d].is_object()) return shape(day_path, "an object");
    const json::object& day = days[d].as_object();
    if (!day.contains("rooms") || !day.at("rooms").is_object()) return shape(day_path + ".rooms", "an object of room name → events");
    const std::string day_date = str(day, "date");
    for (const auto& [room_name, list] : day.at("rooms").as_object()) {
      const std::string room_path = day_path + ".rooms[\"" + std::string(room_name) + "\"]";
      if (!list.is_array()) return shape(room_path, "an array of events");
      const json::array& events = list.as_array();
      for (std::size_t i = 0; i < events.size(); ++i) {
        ++ordinal;
        const std::string path = room_path + "[" + std::to_string(i) + "]";
        SourceRecord r;
        r.line = ordinal;
        if (!events[i].is_object()) {
          issues->push_back(RowIssue{r.line, "event", path + " is not an object", Severity::error, ""});
          continue;
        }
        const json::object& ev = events[i].as_object();
        const std::string guid = str(ev, "guid"), id = number_or_string(ev, "id");
        if (!guid.empty()) {
          const auto at = text.find("\"" + guid + "\"", search_from);
          if (at != std::string_view::npos) {
            r.line = line_at(text, at);
            search_from = at;
          }
        }
        r.record_id = guid.empty() ? id : guid;
        if (r.record_id.empty()) r.record_id = str(ev, "slug");
        const std::string event_title = str(ev, "title");
        if (event_title.empty()) {
          issues->push_back(RowIssue{r.line, "title", path + ": the event has no title", Severity::error, ""});
          continue;
        }
        r.values["title"] = event_title;
        std::vector<std::string> desc;
        if (std::string subtitle = str(ev, "subtitle"); !subtitle.empty()) {
          std::string emphasised(1, '*');
          emphasised.append(subtitle).push_back('*');
          desc.push_back(std::move(emphasised));
        }
        for (const char* part : {"abstract", "description"}) {
          std::string t = str(ev, part);
          if (looks_like_html(t)) t = html_to_markdown(t);
          if (!t.empty()) desc.push_back(std::move(t));
        }
        r.values["description"] = join(desc, "\n\n");
        const std::string date = str(ev, "date"), start = str(ev, "start");
        if (date.find('T') != std::string::npos) {
          r.values["starts_at"] = date;
        } else if (!day_date.empty() && !start.empty()) {
          r.values["start_date"] = day_date;
          r.values["start_time"] = start;
        } else {
          issues->push_back(RowIssue{r.line, "starts_at", path + ": the event has neither \"date\" nor the day's date with \"start\"",
                                     Severity::error, ""});
          continue;
        }
        if (!str(ev, "end").empty()) r.values["ends_at"] = str(ev, "end");
        else r.values["duration"] = str(ev, "duration");
        r.values["time_zone"] = zone;
        r.values["room"] = str(ev, "room").empty() ? std::string(room_name) : str(ev, "room");
        r.values["venue"] = title;
        r.values["category"] = str(ev, "track");
        std::vector<std::string> tags;
        if (!str(ev, "type").empty()) tags.push_back(str(ev, "type"));
        if (!str(ev, "language").empty()) tags.push_back("lang:" + str(ev, "language"));
        r.values["tags"] = join(tags, ";");
        std::vector<std::string> persons;
        if (auto it = ev.find("persons"); it != ev.end() && it->value().is_array())
          for (const auto& p : it->value().as_array()) {
            if (p.is_string()) persons.push_back(trim(std::string(p.as_string())));
            else if (p.is_object()) {
              std::string name = str(p.as_object(), "name");
              if (name.empty()) name = str(p.as_object(), "public_name");
              if (!name.empty()) persons.push_back(name);
            }
          }
        r.values["organizer"] = join(persons, ", ");
        r.values["url"] = str(ev, "url");
        std::string logo = str(ev, "logo");
        if (!logo.empty() && !has_http_scheme(logo) && !base_url.empty()) logo = base_url + (logo.starts_with("/") ? "" : "/") + logo;
        r.values["image_url"] = logo;
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

}  // namespace marquee
