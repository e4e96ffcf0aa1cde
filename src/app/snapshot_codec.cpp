#include "app/snapshot_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/question.hpp"

namespace marquee {

std::string encode_snapshot(const std::vector<Event>& events) {
  std::string out;
  for (const Event& e : events) {
    boost::json::array tags;
    for (const auto& t : e.tags) tags.emplace_back(t);
    boost::json::object o;
    o["key"] = e.key;
    o["title"] = e.title;
    o["description"] = e.description;
    o["starts_at"] = e.starts_at;
    o["ends_at"] = e.ends_at;
    o["time_zone"] = e.time_zone;
    o["all_day"] = e.all_day;
    o["venue"] = e.venue;
    o["address"] = e.address;
    o["room"] = e.room;
    o["category"] = e.category;
    o["tags"] = std::move(tags);
    o["organizer"] = e.organizer;
    o["url"] = e.url;
    o["image_url"] = e.image_url;
    o["price"] = e.price;
    if (e.capacity) o["capacity"] = *e.capacity;
    else o["capacity"] = nullptr;
    o["status"] = std::string(to_string(e.status));
    o["registration"] = e.registration;
    o["waitlist"] = e.waitlist;
    if (e.retention_days) o["retention_days"] = *e.retention_days;
    else o["retention_days"] = nullptr;
    o["questions"] = format_questions(e.questions);
    out += boost::json::serialize(o);
    out.push_back('\n');
  }
  return out;
}

std::vector<Event> decode_snapshot(const std::string& payload) {
  std::vector<Event> out;
  std::size_t b = 0;
  int line = 0;
  while (b < payload.size()) {
    auto e = payload.find('\n', b);
    if (e == std::string::npos) e = payload.size();
    ++line;
    const std::string text = payload.substr(b, e - b);
    b = e + 1;
    if (text.empty()) continue;
    try {
      const auto o = boost::json::parse(text).as_object();
      auto str = [&](const char* k) { return std::string(o.at(k).as_string()); };
      Event ev;
      ev.key = str("key");
      ev.title = str("title");
      ev.description = str("description");
      ev.starts_at = o.at("starts_at").as_int64();
      ev.ends_at = o.at("ends_at").as_int64();
      ev.time_zone = str("time_zone");
      ev.all_day = o.at("all_day").as_bool();
      ev.venue = str("venue");
      ev.address = str("address");
      ev.room = str("room");
      ev.category = str("category");
      for (const auto& t : o.at("tags").as_array()) ev.tags.emplace_back(t.as_string());
      ev.organizer = str("organizer");
      ev.url = str("url");
      ev.image_url = str("image_url");
      ev.price = str("price");
      if (!o.at("capacity").is_null()) ev.capacity = o.at("capacity").as_int64();
      auto status = parse_event_status(str("status"));
      if (!status) throw std::runtime_error("unknown status");
      ev.status = *status;
      ev.registration = o.at("registration").as_bool();
      ev.waitlist = o.at("waitlist").as_bool();
      if (!o.at("retention_days").is_null()) ev.retention_days = o.at("retention_days").as_int64();
      std::string why;
      auto questions = parse_questions(str("questions"), &why);
      if (!questions) throw std::runtime_error(why);
      ev.questions = std::move(*questions);
      out.push_back(std::move(ev));
    } catch (const std::exception& ex) {
      throw SnapshotFormatError("snapshot payload line " + std::to_string(line) + ": " + ex.what());
    }
  }
  return out;
}

}  // namespace marquee
