#include "adapters/render/event_json.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

#include "core/time_zone.hpp"

namespace marquee {

boost::json::object event_json(const ProgrammeEntry& p) {
  const Event& e = p.event;
  boost::json::object o;
  o["key"] = e.key;
  o["title"] = e.title;
  o["description"] = e.description;
  o["starts_at"] = format_utc(e.starts_at);
  o["ends_at"] = format_utc(e.ends_at);
  o["local_starts_at"] = format_rfc3339(e.starts_at, e.time_zone);
  o["local_ends_at"] = format_rfc3339(e.ends_at, e.time_zone);
  o["time_zone"] = e.time_zone;
  o["all_day"] = e.all_day;
  o["venue"] = e.venue;
  o["address"] = e.address;
  o["room"] = e.room;
  o["category"] = e.category;
  boost::json::array tags;
  for (const auto& t : e.tags) tags.emplace_back(t);
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
  boost::json::array questions;
  for (const auto& q : e.questions) {
    boost::json::object qo{{"id", q.id},
                           {"kind", q.kind == QuestionKind::text ? "text" : q.kind == QuestionKind::choice ? "choice" : "yes_no"},
                           {"required", q.required},
                           {"label", q.label}};
    if (q.kind == QuestionKind::choice) {
      boost::json::array choices;
      for (const auto& c : q.choices) choices.emplace_back(c);
      qo["choices"] = std::move(choices);
    }
    questions.push_back(std::move(qo));
  }
  o["questions"] = std::move(questions);
  o["links"] = boost::json::object{{"self", "/api/v1/events/" + e.key}, {"html", "/events/" + e.key}};
  return o;
}

namespace {

// Events a piece of a page holds (about 600 KB of JSON for the generated programme).
constexpr std::size_t kEventsPerPiece = 1000;

boost::json::object item_json(const ProgrammeEntry& p, const std::map<std::string, PromotedMark>* promoted) {
  boost::json::object item = event_json(p);
  if (promoted) {
    auto it = promoted->find(p.event.key);
    if (it == promoted->end()) item["promoted"] = nullptr;
    else item["promoted"] = {{"slot", it->second.slot}, {"partner", it->second.partner}};
  }
  return item;
}

}  // namespace

std::function<bool(std::string&)> events_page_json_pieces(const QueryPage& page, std::int64_t generation,
                                                          const std::map<std::string, PromotedMark>* promoted) {
  return [&page, generation, promoted, next = std::size_t{0}, started = false, done = false](std::string& out) mutable {
    if (done) return false;
    if (!started) {
      out += "{\"events\":[";
      started = true;
    }
    const std::size_t end = std::min(page.items.size(), next + kEventsPerPiece);
    for (; next < end; ++next) {
      if (next > 0) out += ',';
      out += boost::json::serialize(item_json(*page.items[next], promoted));
    }
    if (next == page.items.size()) {
      // The members after the list, as the object's serialization writes them: its '{' left out.
      boost::json::object rest;
      rest["total"] = page.total;
      if (page.next_cursor) rest["next_cursor"] = *page.next_cursor;
      else rest["next_cursor"] = nullptr;
      rest["generation"] = generation;
      out += "],";
      out.append(boost::json::serialize(rest), 1);
      done = true;
    }
    return true;
  };
}

std::string events_page_json(const QueryPage& page, std::int64_t generation,
                             const std::map<std::string, PromotedMark>* promoted) {
  std::string out;
  auto pieces = events_page_json_pieces(page, generation, promoted);
  while (pieces(out)) {
  }
  return out;
}

std::string event_document_json(const ProgrammeEntry& e, std::int64_t generation) {
  boost::json::object o;
  o["event"] = event_json(e);
  o["generation"] = generation;
  return boost::json::serialize(o);
}

}  // namespace marquee
