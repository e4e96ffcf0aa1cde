#include "app/event_edit.hpp"

#include <charconv>
#include <map>

#include "core/time_zone.hpp"
#include "core/datetime_text.hpp"
#include "core/question.hpp"
#include "core/text.hpp"
#include "core/validation.hpp"

namespace marquee {
namespace {

constexpr UnixSeconds kDay = 86400;

std::string local_text(UnixSeconds t, const std::string& zone, bool date_only) {
  try {
    const LocalTime l = to_local(t, zone);
    return date_only ? l.date : l.date + " " + l.time;
  } catch (const std::exception&) {
    return format_utc(t);
  }
}

std::optional<bool> parse_flag(const std::string& raw) {
  const std::string v = search_fold(trim(raw));
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0" || v.empty()) return false;
  return std::nullopt;
}

std::optional<std::string> set_count(std::optional<std::int64_t>& field, const std::string& raw) {
  const std::string v = trim(raw);
  if (v.empty()) {
    field.reset();
    return std::nullopt;
  }
  long long n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 0)
    return "must be a whole number of 0 or more (empty for none): '" + v + "'";
  field = n;
  return std::nullopt;
}

// Reads a date or date-time in the event's zone (an explicit offset wins).
std::optional<UnixSeconds> read_instant(const Event& e, const std::string& raw, bool end) {
  auto dt = parse_datetime_text(trim(raw), DateOrder::ymd);
  if (!dt) return std::nullopt;
  if (e.all_day) {
    dt->hour = dt->minute = dt->second = 0;
    dt->offset_minutes.reset();
    if (end) *dt = add_days(*dt, 1);  // the end date is the last day, inclusive
  } else if (!dt->has_time && end) {
    *dt = add_days(*dt, 1);  // a date alone ends with that whole day
  }
  return to_utc(*dt, e.time_zone);
}

std::string* text_field(Event& e, std::string_view f) {
  if (f == "title") return &e.title;
  if (f == "description") return &e.description;
  if (f == "venue") return &e.venue;
  if (f == "address") return &e.address;
  if (f == "room") return &e.room;
  if (f == "category") return &e.category;
  if (f == "organizer") return &e.organizer;
  if (f == "url") return &e.url;
  if (f == "image_url") return &e.image_url;
  if (f == "price") return &e.price;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& editable_fields() {
  static const std::vector<std::string> fields = {
      "title", "description", "starts_at", "ends_at", "time_zone", "all_day", "venue", "address", "room", "category",
      "tags", "organizer", "url", "image_url", "price", "capacity", "status", "registration", "waitlist",
      "retention_days", "questions"};
  return fields;
}

std::string field_text(const Event& e, std::string_view f) {
  if (auto* t = text_field(const_cast<Event&>(e), f)) return *t;
  if (f == "starts_at") return local_text(e.starts_at, e.time_zone, e.all_day);
  if (f == "ends_at") return local_text(e.all_day && e.ends_at > e.starts_at ? e.ends_at - kDay : e.ends_at, e.time_zone, e.all_day);
  if (f == "time_zone") return e.time_zone;
  if (f == "all_day") return e.all_day ? "true" : "false";
  if (f == "registration") return e.registration ? "true" : "false";
  if (f == "waitlist") return e.waitlist ? "true" : "false";
  if (f == "capacity") return e.capacity ? std::to_string(*e.capacity) : "";
  if (f == "retention_days") return e.retention_days ? std::to_string(*e.retention_days) : "";
  if (f == "status") return std::string(to_string(e.status));
  if (f == "tags") {
    std::string out;
    for (const auto& t : e.tags) out += (out.empty() ? "" : ", ") + t;
    return out;
  }
  if (f == "questions") return format_questions(e.questions);
  return "";
}

std::optional<std::string> set_field_text(Event& e, std::string_view f, const std::string& raw) {
  if (auto* t = text_field(e, f)) {
    // One-line fields lose runs of white space; the description keeps its
    // Markdown as typed (NFC, LF line endings). A value that differs from the
    // stored one only by that normalisation leaves the stored one alone, so
    // saving a form never records a change nobody made.
    const std::string value = f == "description" ? nfc(normalize_newlines(raw)) : nfc(collapse_whitespace(raw));
    const std::string stored = f == "description" ? nfc(normalize_newlines(*t)) : nfc(collapse_whitespace(*t));
    if (value != stored) *t = value;
    return std::nullopt;
  }
  if (f == "ends_at" && trim(raw).empty()) {
    e.ends_at = e.all_day ? e.starts_at + kDay : e.starts_at;  // no end given (validation warns)
    return std::nullopt;
  }
  if (f == "ends_at" && !e.all_day && !parse_datetime_text(trim(raw), DateOrder::ymd)) {
    // A time only, as the importer reads it: on the start's local date, or
    // the next day when it is not after the start (an event across midnight).
    if (auto tod = parse_time_of_day(trim(raw))) {
      const LocalTime local = to_local(e.starts_at, e.time_zone);
      DateTimeText t{local.year, local.month, local.day, tod->hour, tod->minute, tod->second, true, std::nullopt};
      e.ends_at = to_utc(t, e.time_zone);
      if (e.ends_at <= e.starts_at) e.ends_at = to_utc(add_days(t, 1), e.time_zone);
      return std::nullopt;
    }
  }
  if (f == "starts_at" || f == "ends_at") {
    auto t = read_instant(e, raw, f == "ends_at");
    if (!t)
      return f == "ends_at" ? "not a date, date-time or time: '" + trim(raw) + "' (write 2027-06-11 21:00, or 21:00 for the start's day)"
                            : "not a date or date-time: '" + trim(raw) + "' (write 2027-06-11 19:00)";
    if (f == "starts_at") {
      // Moving the start keeps the duration, as calendars do.
      const UnixSeconds duration = e.ends_at - e.starts_at;
      e.starts_at = *t;
      e.ends_at = *t + (duration > 0 ? duration : 0);
    } else {
      e.ends_at = *t;
    }
    return std::nullopt;
  }
  if (f == "time_zone") {
    auto zone = canonical_zone(trim(raw));
    if (!zone) return "not an IANA time zone such as Europe/Berlin: '" + trim(raw) + "'";
    // The wall times stay: the zone was wrong, not the clock on the poster.
    const std::string start = field_text(e, "starts_at"), end = field_text(e, "ends_at");
    e.time_zone = *zone;
    if (auto s = read_instant(e, start, false)) e.starts_at = *s;
    if (auto en = read_instant(e, end, true)) e.ends_at = *en;
    return std::nullopt;
  }
  if (f == "all_day" || f == "registration" || f == "waitlist") {
    auto b = parse_flag(raw);
    if (!b) return "must be true or false: '" + trim(raw) + "'";
    if (f == "all_day" && *b != e.all_day) {
      const std::string start = field_text(e, "starts_at").substr(0, 10);
      const std::string end = field_text(e, "ends_at").substr(0, 10);
      e.all_day = *b;
      if (auto s = read_instant(e, start, false)) e.starts_at = *s;
      if (auto en = read_instant(e, e.all_day ? end : start, e.all_day)) e.ends_at = *en;
    } else if (f == "registration") {
      e.registration = *b;
    } else if (f == "waitlist") {
      e.waitlist = *b;
    }
    return std::nullopt;
  }
  if (f == "capacity") return set_count(e.capacity, raw);
  if (f == "retention_days") return set_count(e.retention_days, raw);
  if (f == "status") {
    auto s = parse_event_status(trim(raw));
    if (!s) return "must be draft, published or cancelled: '" + trim(raw) + "'";
    e.status = *s;
    return std::nullopt;
  }
  if (f == "tags") {
    std::vector<std::string> tags;
    for (auto& t : split_list(raw, ','))
      if (auto v = collapse_whitespace(trim(t)); !v.empty()) tags.push_back(v);
    e.tags = std::move(tags);
    return std::nullopt;
  }
  if (f == "questions") {
    std::string why;
    auto q = parse_questions(raw, &why);
    if (!q) return why.empty() ? std::string("not in the question text form") : why;
    e.questions = std::move(*q);
    return std::nullopt;
  }
  return "is not a field that can be edited";
}

std::vector<RowIssue> revalidate(Event& e, UnixSeconds now) {
  std::vector<RowIssue> errors;
  e.warnings.clear();
  for (auto& i : validate_event(e, e.ends_at != e.starts_at, now, 0)) {
    if (i.severity == Severity::error) errors.push_back(std::move(i));
    else e.warnings.push_back(Warning{i.field, i.message});
  }
  return errors;
}

std::string most_common_zone(const std::vector<Event>& events) {
  std::map<std::string, std::int64_t> zones;
  for (const auto& e : events) ++zones[e.time_zone];
  return most_common_zone(zones);
}

std::string most_common_zone(const std::map<std::string, std::int64_t>& zone_counts) {
  std::string best = "UTC";
  std::int64_t n = 0;
  for (const auto& [zone, count] : zone_counts)
    if (count > n) best = zone, n = count;
  return best;
}

namespace {

// The changed fields' text, one "field: value" line each (values clipped to 200 bytes of whole characters).
std::pair<std::string, std::string> changed_field_text(const Event& before_edit, const Event& after_edit) {
  auto clip = [](const std::string& t) {
    if (t.size() <= 200) return t;
    std::size_t n = 200;
    while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 characters only
    return t.substr(0, n) + "…";
  };
  std::string before, after;
  for (const auto& f : editable_fields()) {
    const std::string a = field_text(before_edit, f), b = field_text(after_edit, f);
    if (a == b) continue;
    before += (before.empty() ? "" : "\n") + f + ": " + clip(a);
    after += (after.empty() ? "" : "\n") + f + ": " + clip(b);
  }
  return {before, after};
}

RowIssue field_issue(const std::string& key, const std::string& field, const std::string& message) {
  RowIssue i;
  i.field = field;
  i.message = message;
  i.key = key;
  return i;
}

}  // namespace

FieldEdit save_event(Store& store, const Clock& clock, const Event& current, Event edited,
                     std::int64_t expected_version, const std::string& actor) {
  FieldEdit out;
  out.errors = revalidate(edited, clock.now());
  out.event = edited;
  if (!out.errors.empty()) {
    out.result = FieldEdit::Result::invalid;
    return out;
  }
  const auto [before, after] = changed_field_text(current, edited);
  const AuditEntry audit{0, clock.now(), actor, "edit", "event " + edited.key, before, after};
  try {
    EditOutcome stored = store.edit_event(edited, expected_version, clock.now(), &audit);
    out.event = stored.current;
    switch (stored.result) {
      case EditResult::conflict: out.result = FieldEdit::Result::conflict; break;
      case EditResult::not_found: out.result = FieldEdit::Result::not_found; break;
      case EditResult::unchanged: out.result = FieldEdit::Result::unchanged; break;
      default: out.result = FieldEdit::Result::saved; break;
    }
  } catch (const CapacityBelowConfirmed& e) {
    out.errors.push_back(field_issue(edited.key, "capacity", e.what()));
    out.below_confirmed = true;
    out.result = FieldEdit::Result::invalid;
  }
  return out;
}

FieldEdit edit_fields(Store& store, const Clock& clock, const std::string& key, std::int64_t expected_version,
                      const std::vector<std::pair<std::string, std::string>>& changes, const std::string& actor) {
  FieldEdit out;
  auto current = store.find_event(key);
  if (!current) return out;
  if (current->version != expected_version) {
    out.result = FieldEdit::Result::conflict;
    out.event = *current;
    return out;
  }
  Event edited = *current;
  for (const auto& [field, text] : changes)
    if (auto why = set_field_text(edited, field, text)) out.errors.push_back(field_issue(key, field, *why));
  if (!out.errors.empty()) {
    out.event = edited;
    out.result = FieldEdit::Result::invalid;
    return out;
  }
  return save_event(store, clock, *current, std::move(edited), expected_version, actor);
}

}  // namespace marquee
