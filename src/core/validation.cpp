#include "core/validation.hpp"

#include <boost/container_hash/hash.hpp>

#include <map>
#include <string>
#include <tuple>

#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

RowIssue issue(std::int64_t line, const Event& e, std::string field, std::string message, Severity s) {
  return RowIssue{line, std::move(field), std::move(message), s, e.key};
}

}  // namespace

std::vector<RowIssue> validate_event(const Event& e, bool end_given, UnixSeconds now, std::int64_t line) {
  std::vector<RowIssue> out;
  auto error = [&](std::string f, std::string m) { out.push_back(issue(line, e, std::move(f), std::move(m), Severity::error)); };
  auto warn = [&](std::string f, std::string m) { out.push_back(issue(line, e, std::move(f), std::move(m), Severity::warning)); };

  if (!normalize_explicit_key(e.key) || *normalize_explicit_key(e.key) != e.key)
    error("key", "not a valid key: '" + e.key + "' (use a-z, 0-9, '-', '_', '.'; at most 80 characters)");
  if (trim(e.title).empty()) error("title", "title is required");
  if (e.title.size() > kMaxTitleBytes)
    error("title", "title is " + std::to_string(e.title.size()) + " bytes, over the limit of " +
                       std::to_string(kMaxTitleBytes));
  const std::pair<const char*, const std::string*> texts[] = {
      {"description", &e.description}, {"venue", &e.venue}, {"address", &e.address}, {"room", &e.room},
      {"category", &e.category}, {"organizer", &e.organizer}, {"url", &e.url}, {"image_url", &e.image_url},
      {"price", &e.price}};
  for (const auto& [name, value] : texts)
    if (value->size() > kMaxTextBytes)
      error(name, std::string(name) + " is " + std::to_string(value->size()) + " bytes, over the limit of " +
                      std::to_string(kMaxTextBytes));
  if (e.time_zone.empty()) error("time_zone", "time zone is required");
  if (e.ends_at < e.starts_at) error("ends_at", "end is before start");
  if (e.capacity && *e.capacity < 0) error("capacity", "capacity must be 0 or more");

  if (!end_given && !e.all_day) warn("ends_at", "no end time; the event is shown without an end");
  // Only http and https (and mailto: for the information link) may become a
  // link or an image: javascript:, data:, vbscript: and the like are refused.
  const std::string url_scheme_ = url_scheme(e.url), image_scheme = url_scheme(e.image_url);
  if (!url_scheme_.empty() && url_scheme_ != "http" && url_scheme_ != "https" && url_scheme_ != "mailto")
    error("url", "URL scheme '" + url_scheme_ + ":' is not allowed; use http, https or mailto");
  else if (!e.url.empty() && url_scheme_.empty())
    warn("url", "URL without http(s) scheme: '" + e.url + "'");
  if (!image_scheme.empty() && image_scheme != "http" && image_scheme != "https")
    error("image_url", "image URL scheme '" + image_scheme + ":' is not allowed; use http or https");
  else if (!e.image_url.empty() && image_scheme.empty())
    warn("image_url", "image URL without http(s) scheme: '" + e.image_url + "'");
  if (is_all_caps(e.title)) warn("title", "title is in all capitals");
  if (e.ends_at < now && e.status != EventStatus::cancelled) warn("starts_at", "event is in the past");
  if (e.ends_at - e.starts_at > 31LL * 24 * 3600) warn("ends_at", "event lasts more than 31 days");
  return out;
}

bool BatchChecker::admit(Event& e, std::int64_t line, std::vector<RowIssue>& out) {
  auto [it, fresh] = key_lines_.emplace(e.key, line);
  if (!fresh) {
    out.push_back(RowIssue{line, "key", "duplicate key '" + e.key + "': line " + std::to_string(it->second) + " has the same key",
                           Severity::error, e.key});
    return false;
  }
  static_assert(sizeof(std::size_t) == 8, "a slot's hash is 64 bits (see BatchChecker)");
  std::size_t slot = boost::hash_value(search_fold(e.title));
  boost::hash_combine(slot, e.starts_at);
  boost::hash_combine(slot, search_fold(e.venue));
  auto [sit, first] = slot_lines_.emplace(static_cast<std::uint64_t>(slot), line);
  if (!first) {
    Warning w{"title", "same title, start and venue as line " + std::to_string(sit->second)};
    e.warnings.push_back(w);
    out.push_back(RowIssue{line, w.field, w.message, Severity::warning, e.key});
  }
  return true;
}

}  // namespace marquee
