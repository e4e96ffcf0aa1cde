#include "app/assemble_event.hpp"

#include <algorithm>
#include <charconv>

#include "core/time_zone.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"
#include "core/validation.hpp"

namespace marquee {
namespace {

constexpr long long kDay = 86400;
using F = ImportField;

std::optional<bool> parse_bool(const std::string& v) {
  const std::string s = search_fold(trim(v));
  if (s == "true" || s == "yes" || s == "y" || s == "1" || s == "ja" || s == "oui" || s == "x") return true;
  if (s.empty() || s == "false" || s == "no" || s == "n" || s == "0" || s == "nein" || s == "non") return false;
  return std::nullopt;
}

class Builder {
 public:
  Builder(const SourceRecord& r, const AssembleContext& ctx) : r_(r), ctx_(ctx) {}

  Assembled run() {
    Event e;
    e.title = collapse_whitespace(nfc(get(F::title)));
    const std::string_view description = trimmed(get(F::description));
    e.description = description.find('\r') == std::string_view::npos ? nfc(description)
                                                                       : nfc(normalize_newlines(description));
    e.venue = one_line(F::venue);
    e.address = one_line(F::address);
    e.room = one_line(F::room);
    e.category = one_line(F::category);
    e.organizer = one_line(F::organizer);
    e.price = one_line(F::price);
    e.url = trim(get(F::url));
    e.image_url = trim(get(F::image_url));
    const std::string& tags = get(F::tags);
    for (auto& t : split_list(tags, tags.find(';') != std::string::npos ? ';' : ','))
      e.tags.push_back(collapse_whitespace(nfc(t)));
    e.source_file = ctx_.source_file;
    e.source_record = r_.line > 0 ? "line " + std::to_string(r_.line) : r_.record_id;

    resolve_zone(e);
    bool end_given = false;
    if (!e.time_zone.empty()) resolve_times(e, &end_given);
    resolve_status_and_capacity(e);
    resolve_registration(e);
    resolve_key(e);

    Assembled out;
    if (has_error_) {
      for (auto& i : issues_) i.key = e.key;
      out.issues = std::move(issues_);
      return out;
    }
    auto checks = validate_event(e, end_given, ctx_.now, r_.line);
    for (auto& i : issues_) i.key = e.key;
    bool rejected = false;
    for (auto& i : checks) {
      if (i.severity == Severity::warning) e.warnings.push_back(Warning{i.field, i.message});
      else rejected = true;
      issues_.push_back(std::move(i));
    }
    for (const auto& i : issues_)
      if (i.severity == Severity::warning &&
          std::find(e.warnings.begin(), e.warnings.end(), Warning{i.field, i.message}) == e.warnings.end())
        e.warnings.push_back(Warning{i.field, i.message});
    out.issues = std::move(issues_);
    if (!rejected) out.event = std::move(e);
    return out;
  }

 private:
  // The record's value, not a copy ("" when the record has none).
  const std::string& get(ImportField field) const { return r_.values.get(field); }
  bool has(ImportField field) const { return !trimmed(get(field)).empty(); }
  std::string one_line(ImportField field) const { return collapse_whitespace(nfc(get(field))); }
  static std::string name(ImportField field) { return std::string(import_field_name(field)); }
  void error(std::string field, std::string message) {
    issues_.push_back(RowIssue{r_.line, std::move(field), std::move(message), Severity::error, ""});
    has_error_ = true;
  }
  void warn(std::string field, std::string message) {
    issues_.push_back(RowIssue{r_.line, std::move(field), std::move(message), Severity::warning, ""});
  }

  void resolve_zone(Event& e) {
    std::string z = trim(get(F::time_zone));
    if (z.starts_with("?")) {
      warn("time_zone", "unknown time zone '" + z.substr(1) + "'; times read in " + ctx_.default_zone);
      z.clear();
    }
    if (z.empty()) z = ctx_.default_zone;
    if (auto canonical = canonical_zone(z)) e.time_zone = *canonical;
    else error("time_zone", "unknown time zone '" + z + "' (use an IANA name such as Europe/Berlin)");
  }

  // The date (or date-time) field, with the time of day from `time_field`
  // when it has one; errors name the field they come from.
  std::optional<DateTimeText> parse_when(ImportField date_field, std::optional<ImportField> time_field) {
    const std::string text = trim(get(date_field));
    auto dt = parse_datetime_text(text, ctx_.date_order);
    if (!dt) {
      error(name(date_field), "not a date or date-time: '" + text + "'");
      return std::nullopt;
    }
    if (time_field && has(*time_field)) {
      auto tod = parse_time_of_day(trim(get(*time_field)));
      if (!tod) {
        error(name(*time_field), "not a time of day: '" + trim(get(*time_field)) + "'");
        return std::nullopt;
      }
      dt->hour = tod->hour;
      dt->minute = tod->minute;
      dt->second = tod->second;
      dt->has_time = true;
    }
    return dt;
  }

  void resolve_times(Event& e, bool* end_given) {
    const bool start_combined = has(F::starts_at);
    if (!start_combined && !has(F::start_date)) {
      error("starts_at", "start is required");
      return;
    }
    auto start = start_combined ? parse_when(F::starts_at, std::nullopt) : parse_when(F::start_date, F::start_time);
    if (!start) return;
    if (has(F::all_day)) {
      auto b = parse_bool(get(F::all_day));
      if (!b) return error("all_day", "not a yes/no value: '" + get(F::all_day) + "'");
      e.all_day = *b;
    } else {
      e.all_day = !start->has_time;
    }
    if (e.all_day) {
      start->hour = start->minute = start->second = 0;
      start->offset_minutes.reset();
    }
    e.starts_at = to_utc(*start, e.time_zone);
    e.ends_at = e.starts_at + (e.all_day ? kDay : 0);

    // End: a full date-time, a date, a time only, or a duration.
    const std::optional<ImportField> end_field = has(F::ends_at)    ? std::optional(F::ends_at)
                                                 : has(F::end_date) ? std::optional(F::end_date)
                                                 : has(F::end_time) ? std::optional(F::end_time)
                                                                    : std::nullopt;
    if (end_field) {
      const std::string text = trim(get(*end_field));
      std::optional<DateTimeText> end;
      if (*end_field != F::end_time) end = parse_datetime_text(text, ctx_.date_order);
      if (end && *end_field == F::end_date && has(F::end_time)) {
        auto tod = parse_time_of_day(trim(get(F::end_time)));
        if (!tod) return error("end_time", "not a time of day: '" + trim(get(F::end_time)) + "'");
        end->hour = tod->hour; end->minute = tod->minute; end->second = tod->second; end->has_time = true;
      }
      const auto iso_duration = text.starts_with("P") || text.starts_with("p") ? parse_duration_seconds(text)
                                                                                : std::nullopt;
      if (iso_duration) {  // "PT1H30M" in an end column: a duration from the start
        e.ends_at = e.starts_at + *iso_duration;
      } else if (end) {
        if (!end->has_time) {  // a date: the event lasts through that whole day
          DateTimeText next = add_days(*end, 1);
          next.offset_minutes.reset();
          e.ends_at = to_utc(next, e.time_zone);
        } else {
          e.ends_at = to_utc(*end, e.time_zone);
        }
      } else if (auto tod = parse_time_of_day(text)) {
        // A time only: on the start's local date, or the next day when it is
        // not after the start (an event across midnight).
        const LocalTime local = to_local(e.starts_at, e.time_zone);
        DateTimeText t{local.year, local.month, local.day, tod->hour, tod->minute, tod->second, true, std::nullopt};
        e.ends_at = to_utc(t, e.time_zone);
        if (e.ends_at <= e.starts_at) e.ends_at = to_utc(add_days(t, 1), e.time_zone);
      } else {
        return error(name(*end_field), "not a date, date-time or time: '" + text + "'");
      }
      *end_given = true;
    } else if (has(F::duration)) {
      auto secs = parse_duration_seconds(get(F::duration));
      if (!secs) return error("duration", "not a duration: '" + trim(get(F::duration)) + "' (use h:mm, 90m or PT1H30M)");
      e.ends_at = e.starts_at + *secs;
      *end_given = true;
    }
    if (e.all_day) *end_given = true;
  }

  void resolve_status_and_capacity(Event& e) {
    if (has(F::status)) {
      auto s = parse_event_status(get(F::status));
      if (!s) error("status", "unknown status '" + trim(get(F::status)) + "' (draft, published or cancelled)");
      else e.status = *s;
    }
    if (has(F::capacity)) {
      const std::string c = trim(get(F::capacity));
      if (search_fold(c) == "unlimited" || c == "-") return;
      long long v = 0;
      auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
      if (ec != std::errc() || p != c.data() + c.size() || v < 0)
        error("capacity", "not a whole number of places: '" + c + "'");
      else e.capacity = v;
    }
  }

  void resolve_registration(Event& e) {
    for (const ImportField field : {F::registration, F::waitlist}) {
      if (!has(field)) continue;
      auto b = parse_bool(get(field));
      if (!b) error(name(field), "not a yes/no value: '" + get(field) + "'");
      else (field == F::registration ? e.registration : e.waitlist) = *b;
    }
    if (has(F::retention_days)) {
      const std::string v = trim(get(F::retention_days));
      long long days = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
      if (ec != std::errc() || p != v.data() + v.size() || days < 0)
        error("retention_days", "not a whole number of days: '" + v + "'");
      else e.retention_days = days;
    }
    if (has(F::questions)) {
      std::string why;
      auto q = parse_questions(get(F::questions), &why);
      if (!q) error("questions", why);
      else e.questions = std::move(*q);
    }
    if (e.waitlist && !e.registration) warn("waitlist", "a waiting list without registration has no effect");
  }

  void resolve_key(Event& e) {
    if (has(F::key)) {
      auto k = normalize_explicit_key(get(F::key));
      if (!k) error("key", "not a valid key: '" + trim(get(F::key)) + "' (use a-z, 0-9, '-', '_', '.'; at most 80)");
      else e.key = *k;
      return;
    }
    std::string id = r_.record_id;
    if (id.empty()) id = search_fold(e.title) + "|" + std::to_string(e.starts_at) + "|" + search_fold(e.venue);
    e.key = derive_event_key(ctx_.key_namespace, id, e.title);
  }

  const SourceRecord& r_;
  const AssembleContext& ctx_;
  std::vector<RowIssue> issues_;
  bool has_error_ = false;
};

}  // namespace

Assembled assemble_event(const SourceRecord& record, const AssembleContext& ctx) { return Builder(record, ctx).run(); }

}  // namespace marquee
