#include "adapters/store/event_row.hpp"

#include "core/question.hpp"
#include "core/text.hpp"
#include "ports/store.hpp"

namespace marquee {

const char* const kEventColumns =
    "key, title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, category, tags, "
    "organizer, url, image_url, price, capacity, status, source_file, source_record, warnings, created_at, "
    "updated_at, version, registration, waitlist, retention_days, questions";

namespace {

std::string encode_warnings(const std::vector<Warning>& ws) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& w : ws) pairs.emplace_back(w.field, w.message);
  return encode_tab_lines(pairs);
}

std::vector<Warning> decode_warnings(const std::string& s) {
  std::vector<Warning> out;
  for (auto& [field, message] : decode_tab_lines(s)) out.push_back(Warning{std::move(field), std::move(message)});
  return out;
}

std::int64_t to_int(const std::optional<std::string>& v, const char* column) {
  try {
    if (!v) throw std::invalid_argument("null");
    return std::stoll(*v);
  } catch (const std::exception&) {
    throw StoreError(std::string("events.") + column + ": not an integer");
  }
}

}  // namespace

std::string encode_tab_lines(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) out += collapse_whitespace(k) + "\t" + collapse_whitespace(v) + "\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_tab_lines(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t b = 0;
  while (b < s.size()) {
    auto e = s.find('\n', b);
    if (e == std::string::npos) e = s.size();
    const std::string line = s.substr(b, e - b);
    const auto tab = line.find('\t');
    if (tab != std::string::npos) out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    b = e + 1;
  }
  return out;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

std::optional<std::int64_t> opt_int(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::stoll(*v);
}

namespace {

// The row of `e`, its text copied (const Event&) or moved (Event&&); built
// cell by cell (a braced list would copy every string once more).
template <typename E>
Row make_row(E&& e) {
  Row row;
  row.reserve(kEventColumnCount);
  const auto text = [&](auto&& value) { row.emplace_back(std::forward<decltype(value)>(value)); };
  const auto number = [&](std::int64_t n) { row.emplace_back(std::to_string(n)); };
  const auto flag = [&](bool b) { row.emplace_back(b ? "1" : "0"); };
  std::string tags;
  for (const auto& t : e.tags) tags += t + "\n";
  text(std::forward<E>(e).key);
  text(std::forward<E>(e).title);
  text(std::forward<E>(e).description);
  number(e.starts_at);
  number(e.ends_at);
  text(std::forward<E>(e).time_zone);
  flag(e.all_day);
  text(std::forward<E>(e).venue);
  text(std::forward<E>(e).address);
  text(std::forward<E>(e).room);
  text(std::forward<E>(e).category);
  text(std::move(tags));
  text(std::forward<E>(e).organizer);
  text(std::forward<E>(e).url);
  text(std::forward<E>(e).image_url);
  text(std::forward<E>(e).price);
  if (e.capacity) number(*e.capacity);
  else row.emplace_back(std::nullopt);
  text(std::string(to_string(e.status)));
  text(std::forward<E>(e).source_file);
  text(std::forward<E>(e).source_record);
  text(encode_warnings(e.warnings));
  number(e.created_at);
  number(e.updated_at);
  number(e.version);
  flag(e.registration);
  flag(e.waitlist);
  if (e.retention_days) number(*e.retention_days);
  else row.emplace_back(std::nullopt);
  text(format_questions(e.questions));
  return row;
}

}  // namespace

Row to_row(const Event& e) { return make_row(e); }
Row to_row(Event&& e) { return make_row(std::move(e)); }

Event from_row(const Row& r, const std::string& bool_text) { return from_row(Row(r), bool_text); }

Event from_row(Row&& r, const std::string& bool_text) {
  if (r.size() != kEventColumnCount) throw StoreError("events: unexpected column count");
  // Each value is taken once, except those compared (all_day, status, the flags).
  auto text = [&](int i) { return r[i] ? std::move(*r[i]) : std::string(); };
  auto is_true = [&](int i) { return r[i] && (*r[i] == bool_text || *r[i] == "1" || *r[i] == "true"); };
  Event e;
  e.key = text(0);
  e.title = text(1);
  e.description = text(2);
  e.starts_at = to_int(r[3], "starts_at");
  e.ends_at = to_int(r[4], "ends_at");
  e.time_zone = text(5);
  e.all_day = is_true(6);
  e.venue = text(7);
  e.address = text(8);
  e.room = text(9);
  e.category = text(10);
  e.tags = split_list(text(11), '\n');
  e.organizer = text(12);
  e.url = text(13);
  e.image_url = text(14);
  e.price = text(15);
  if (r[16]) e.capacity = to_int(r[16], "capacity");
  const std::string status_text = text(17);
  auto status = parse_event_status(status_text);
  if (!status) throw StoreError("events.status: unknown value '" + status_text + "'");
  e.status = *status;
  e.source_file = text(18);
  e.source_record = text(19);
  e.warnings = decode_warnings(text(20));
  e.created_at = to_int(r[21], "created_at");
  e.updated_at = to_int(r[22], "updated_at");
  e.version = to_int(r[23], "version");
  e.registration = r[24] && (*r[24] == bool_text || *r[24] == "1");
  e.waitlist = r[25] && (*r[25] == bool_text || *r[25] == "1");
  if (r[26]) e.retention_days = to_int(r[26], "retention_days");
  std::string error;
  auto questions = parse_questions(text(27), &error);
  if (!questions) throw StoreError("events.questions: " + error);
  e.questions = std::move(*questions);
  return e;
}

}  // namespace marquee
