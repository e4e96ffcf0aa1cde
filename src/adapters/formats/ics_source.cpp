#include "adapters/formats/ics_source.hpp"

extern "C" {
#include <libical/ical.h>
}

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "adapters/formats/html_text.hpp"
#include "core/time_zone.hpp"
#include "core/recurrence_rule.hpp"
#include "core/time_zone_rule.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using Clock = std::chrono::steady_clock;

// The parts of a libical rule that core/recurrence_rule.hpp checks.
RecurrenceShape shape_of(const icalrecurrencetype& rule) {
  RecurrenceShape shape;
  shape.freq = icalrecur_freq_to_string(rule.freq) ? icalrecur_freq_to_string(rule.freq) : "";
  for (int i = 0; i < ICAL_BY_MONTH_SIZE && rule.by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
    shape.by_month.push_back(icalrecurrencetype_month_month(rule.by_month[i]));
  for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && rule.by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
    shape.by_month_day.push_back(rule.by_month_day[i]);
  for (int i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
    shape.by_day_position.push_back(icalrecurrencetype_day_position(rule.by_day[i]));
  auto note = [&](const short* values, const char* name) {
    if (values[0] != ICAL_RECURRENCE_ARRAY_MAX) shape.other_parts.emplace_back(name);
  };
  note(rule.by_second, "BYSECOND");
  note(rule.by_minute, "BYMINUTE");
  note(rule.by_hour, "BYHOUR");
  note(rule.by_year_day, "BYYEARDAY");
  note(rule.by_week_no, "BYWEEKNO");
  note(rule.by_set_pos, "BYSETPOS");
  shape.interval = rule.interval;
  shape.count = rule.count;
  if (!icaltime_is_null_time(rule.until)) shape.until_year = rule.until.year;
  return shape;
}

// libical expands a VTIMEZONE's observances through this year (its
// ICALTIMEZONE_MAX_YEAR, 2582, plus five years of extra coverage).
constexpr int kZoneExpansionLastYear = 2587;
// Transitions all VTIMEZONEs of one file may expand to; a real zone from
// 1601 (Outlook's DTSTART) with two yearly rules has about 2,000.
constexpr std::int64_t kMaxZoneTransitions = 100000;

// Why a VTIMEZONE cannot be used, or "": a STANDARD/DAYLIGHT rule not
// accepted by core/time_zone_rule.hpp, or more transitions than the file's
// remaining allowance (`allowance` is reduced by this zone's).
std::string unusable_time_zone(icalcomponent* vtz, std::int64_t& allowance) {
  std::int64_t transitions = 0;
  for (icalcomponent* o = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); o;
       o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(o);
    if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT) continue;
    const char* which = kind == ICAL_XSTANDARD_COMPONENT ? "STANDARD" : "DAYLIGHT";
    icalproperty* dtstart = icalcomponent_get_first_property(o, ICAL_DTSTART_PROPERTY);
    const int first_year = dtstart ? icalproperty_get_dtstart(dtstart).year : 0;
    for (icalproperty* p = icalcomponent_get_first_property(o, ICAL_ANY_PROPERTY); p;
         p = icalcomponent_get_next_property(o, ICAL_ANY_PROPERTY)) {
      if (icalproperty_isa(p) == ICAL_RDATE_PROPERTY) {
        ++transitions;
      } else if (icalproperty_isa(p) == ICAL_RRULE_PROPERTY) {
        const icalrecurrencetype rule = icalproperty_get_rrule(p);
        const RecurrenceShape shape = shape_of(rule);
        if (auto why = unusable_time_zone_rule(shape)) {
          const char* text = icalrecurrencetype_as_string(const_cast<icalrecurrencetype*>(&rule));
          return std::string(which) + " rule " + (text ? text : "(unreadable)") + ": " + *why;
        }
        transitions += time_zone_rule_transitions(shape, first_year, kZoneExpansionLastYear);
      }
    }
    ++transitions;
    if (transitions > allowance) return "its rules expand to too many transitions (the file may have " +
                                        std::to_string(kMaxZoneTransitions) + " in all)";
  }
  allowance -= transitions;
  return "";
}

// Removes every VTIMEZONE that cannot be used, before any time is converted
// through it, with a warning on its BEGIN line; times naming it are then read
// as an unknown zone (the assembler warns on each event).
void drop_unusable_time_zones(const std::vector<icalcomponent*>& calendars, const std::vector<std::int64_t>& lines,
                              std::vector<RowIssue>* issues) {
  std::int64_t allowance = kMaxZoneTransitions;
  std::size_t index = 0;
  for (icalcomponent* cal : calendars) {
    std::vector<icalcomponent*> zones;
    for (icalcomponent* z = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT); z;
         z = icalcomponent_get_next_component(cal, ICAL_VTIMEZONE_COMPONENT))
      zones.push_back(z);
    std::reverse(zones.begin(), zones.end());  // libical puts each new VTIMEZONE first: back to document order
    for (icalcomponent* z : zones) {
      const std::int64_t line = index < lines.size() ? lines[index] : 0;
      ++index;
      const std::string why = unusable_time_zone(z, allowance);
      if (why.empty()) continue;
      icalproperty* tzid = icalcomponent_get_first_property(z, ICAL_TZID_PROPERTY);
      const std::string name = tzid && icalproperty_get_tzid(tzid) ? icalproperty_get_tzid(tzid) : "";
      issues->push_back(RowIssue{line, "time_zone", "VTIMEZONE " + name + " ignored: " + why, Severity::warning, ""});
      icalcomponent_remove_component(cal, z);
      icalcomponent_free(z);
    }
  }
}

using ComponentPtr = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;

std::string ical_text(icaltimetype t, bool utc) {
  char buf[40];
  if (t.is_date) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", t.year, t.month, t.day, t.hour, t.minute,
                  t.second, utc ? "Z" : "");
  return buf;
}

std::string prop_text(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (!p) return "";
  const char* v = icalproperty_get_value_as_string(p);
  if (!v) return "";
  // libical returns escaped text for TEXT values; unescape \n \, \; \\ (RFC 5545 §3.3.11).
  std::string out;
  for (const char* s = v; *s; ++s) {
    if (*s == '\\' && s[1]) {
      ++s;
      out.push_back(*s == 'n' || *s == 'N' ? '\n' : *s);
    } else out.push_back(*s);
  }
  return out;
}

// A DTSTART/DTEND-style property as (text, zone). Non-IANA TZIDs are resolved
// through the calendar's VTIMEZONE and converted to UTC.
struct TimeValue {
  icaltimetype t = icaltime_null_time();
  std::string text, zone;
  bool ok = false;
};

TimeValue read_time(icalcomponent* root, icalproperty* p, icaltimetype t) {
  TimeValue v;
  if (!p || icaltime_is_null_time(t)) return v;
  v.t = t;
  v.ok = true;
  icalparameter* tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  const bool utc = icaltime_is_utc(t);
  if (t.is_date || utc || !tzp) {
    v.text = ical_text(t, utc);
    return v;
  }
  const std::string tzid = icalparameter_get_tzid(tzp);
  if (auto z = canonical_zone(tzid)) {
    v.text = ical_text(t, false);
    v.zone = *z;
    return v;
  }
  icaltimezone* vtz = root ? icalcomponent_get_timezone(root, tzid.c_str()) : nullptr;
  if (vtz) {
    icaltimetype u = t;
    u.zone = nullptr;
    icaltimezone_convert_time(&u, vtz, icaltimezone_get_utc_timezone());
    v.text = ical_text(u, true);
    return v;
  }
  v.text = ical_text(t, false);  // unknown zone: read in the import's zone (assembler warns)
  v.zone = "?" + tzid;
  return v;
}

icaltimetype with_offset(icaltimetype base, icaldurationtype d) { return icaltime_add(base, d); }

}  // namespace

std::vector<SourceRecord> read_ics(std::string_view text, const IcsOptions& opt, std::vector<RowIssue>* issues,
                                   std::string* fatal) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(opt.time_budget_ms);
  std::string data(text);
  if (data.starts_with("\xEF\xBB\xBF")) data.erase(0, 3);
  const auto first = data.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || ascii_lower(data.substr(first, 15)) != "begin:vcalendar") {
    *fatal = "not an iCalendar file: it does not start with BEGIN:VCALENDAR";
    return {};
  }
  // Line numbers of BEGIN:VEVENT and BEGIN:VTIMEZONE, in document order.
  std::vector<std::int64_t> vevent_lines, vtimezone_lines;
  {
    std::int64_t line = 1;
    std::size_t pos = 0;
    while (pos < data.size()) {
      auto end = data.find('\n', pos);
      if (end == std::string::npos) end = data.size();
      const std::string begin = ascii_lower(trim(std::string_view(data).substr(pos, end - pos)));
      if (begin == "begin:vevent") vevent_lines.push_back(line);
      else if (begin == "begin:vtimezone") vtimezone_lines.push_back(line);
      ++line;
      pos = end + 1;
    }
  }
  ComponentPtr root(icalparser_parse_string(data.c_str()), &icalcomponent_free);
  if (!root) {
    *fatal = "malformed iCalendar: libical could not parse it";
    return {};
  }
  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) calendars.push_back(root.get());
  for (icalcomponent* c = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT); c;
       c = icalcomponent_get_next_component(root.get(), ICAL_VCALENDAR_COMPONENT))
    calendars.push_back(c);
  drop_unusable_time_zones(calendars, vtimezone_lines, issues);

  std::vector<SourceRecord> out;
  std::size_t vevent_index = 0;
  bool full = false;  // max_events reached: nothing more is read
  for (icalcomponent* cal : calendars) {
    if (full) break;
    std::vector<icalcomponent*> vevents;
    for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
      vevents.push_back(e);
    // Instances replaced by a RECURRENCE-ID component: "UID@start".
    std::set<std::string> overridden;
    for (icalcomponent* e : vevents) {
      icalproperty* rid = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
      if (rid) overridden.insert(prop_text(e, ICAL_UID_PROPERTY) + "@" + ical_text(icalproperty_get_recurrenceid(rid), false));
    }
    for (icalcomponent* e : vevents) {
      if (full) break;
      const std::int64_t line = vevent_index < vevent_lines.size() ? vevent_lines[vevent_index] : 0;
      ++vevent_index;
      icalproperty* dtstart_p = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
      if (!dtstart_p) {
        issues->push_back(RowIssue{line, "starts_at", "VEVENT without DTSTART", Severity::error, ""});
        continue;
      }
      TimeValue start = read_time(cal, dtstart_p, icalproperty_get_dtstart(dtstart_p));
      if (!start.ok) {
        issues->push_back(RowIssue{line, "starts_at", "DTSTART is not a valid date-time", Severity::error, ""});
        continue;
      }
      icalproperty* dtend_p = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY);
      icalproperty* dur_p = icalcomponent_get_first_property(e, ICAL_DURATION_PROPERTY);
      icaldurationtype length = icaldurationtype_null_duration();
      bool has_end = false;
      if (dtend_p) {
        TimeValue end = read_time(cal, dtend_p, icalproperty_get_dtend(dtend_p));
        if (end.ok) {
          length = icaltime_subtract(end.t, start.t);
          has_end = true;
        }
      } else if (dur_p) {
        length = icalproperty_get_duration(dur_p);
        has_end = !icaldurationtype_is_bad_duration(length);
      }

      SourceRecord base;
      base.line = line;
      const std::string uid = prop_text(e, ICAL_UID_PROPERTY);
      base.values["title"] = prop_text(e, ICAL_SUMMARY_PROPERTY);
      base.values["description"] = prop_text(e, ICAL_DESCRIPTION_PROPERTY);
      if (looks_like_html(base.values["description"])) base.values["description"] = html_to_markdown(base.values["description"]);
      base.values["venue"] = prop_text(e, ICAL_LOCATION_PROPERTY);
      base.values["url"] = prop_text(e, ICAL_URL_PROPERTY);
      std::vector<std::string> categories;  // every CATEGORIES property, each a list (RFC 5545 §3.8.1.2)
      for (icalproperty* c = icalcomponent_get_first_property(e, ICAL_CATEGORIES_PROPERTY); c;
           c = icalcomponent_get_next_property(e, ICAL_CATEGORIES_PROPERTY))
        for (auto& v : split_list(icalproperty_get_categories(c) ? icalproperty_get_categories(c) : "", ','))
          categories.push_back(std::move(v));
      if (!categories.empty()) {
        base.values["category"] = categories.front();
        base.values["tags"] = join(std::vector<std::string>(categories.begin() + 1, categories.end()), ";");
      }
      if (icalproperty* org = icalcomponent_get_first_property(e, ICAL_ORGANIZER_PROPERTY)) {
        icalparameter* cn = icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER);
        if (cn) base.values["organizer"] = icalparameter_get_cn(cn);
      }
      if (ascii_lower(prop_text(e, ICAL_STATUS_PROPERTY)) == "cancelled") base.values["status"] = "cancelled";
      // Marquee's own feeds carry the fields LOCATION and ORGANIZER flatten (see ics_writer.hpp).
      bool own_feed = false, own_venue = false;
      for (icalproperty* x = icalcomponent_get_first_property(e, ICAL_X_PROPERTY); x;
           x = icalcomponent_get_next_property(e, ICAL_X_PROPERTY)) {
        const std::string name = icalproperty_get_x_name(x) ? icalproperty_get_x_name(x) : "";
        const std::string value = icalproperty_get_x(x) ? icalproperty_get_x(x) : "";
        if (name == "X-MARQUEE-KEY") base.values["key"] = value, own_feed = true;
        else if (name == "X-MARQUEE-VENUE") base.values["venue"] = value, own_venue = true;
        else if (name == "X-MARQUEE-ROOM") base.values["room"] = value;
        else if (name == "X-MARQUEE-ADDRESS") base.values["address"] = value;
        else if (name == "X-MARQUEE-ORGANIZER") base.values["organizer"] = value;
        else if (name == "X-MARQUEE-TIME-ZONE") base.values["time_zone"] = value;  // a DTSTART TZID still wins
      }
      if (own_feed && !own_venue) base.values["venue"] = "";
      if (!start.zone.empty()) base.values["time_zone"] = start.zone;
      if (start.t.is_date) base.values["all_day"] = "true";

      // Adds one event; false (with an error on this line, once) when the
      // file already gave max_events.
      auto emit = [&](icaltimetype s, const std::string& id) {
        if (out.size() >= opt.max_events) {
          issues->push_back(RowIssue{line, "starts_at",
                                     "the file gives more than " + std::to_string(opt.max_events) +
                                         " events (occurrences included): this one and the rest are not read",
                                     Severity::error, ""});
          full = true;
          return false;
        }
        SourceRecord r = base;
        r.record_id = id;
        TimeValue sv = read_time(cal, dtstart_p, s);
        r.values["starts_at"] = sv.text;
        if (has_end) {
          icaltimetype end = with_offset(s, length);
          // A DATE end is exclusive (RFC 5545 §3.6.1: the day after the last); an end date given to
          // the assembler is the last day itself. A one-day event (or a bad end) keeps its one day.
          if (s.is_date) {
            icaldurationtype one_day = icaldurationtype_null_duration();
            one_day.days = 1;
            one_day.is_neg = 1;
            end = icaltime_add(end, one_day);
            if (icaltime_compare_date_only(end, s) > 0) r.values["ends_at"] = read_time(cal, dtstart_p, end).text;
          } else {
            r.values["ends_at"] = read_time(cal, dtstart_p, end).text;
          }
        }
        out.push_back(std::move(r));
        return true;
      };

      icalproperty* rrule_p = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY);
      const bool is_override = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY) != nullptr;
      const std::string uid_or_fallback = uid.empty() ? base.values["title"] + "|" + start.text : uid;
      if (is_override) {
        icalproperty* rid = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
        emit(start.t, uid_or_fallback + "@" + ical_text(icalproperty_get_recurrenceid(rid), false));
        continue;
      }
      if (!rrule_p) {
        emit(start.t, uid_or_fallback);
        continue;
      }
      std::set<std::string> exdates;
      for (icalproperty* x = icalcomponent_get_first_property(e, ICAL_EXDATE_PROPERTY); x;
           x = icalcomponent_get_next_property(e, ICAL_EXDATE_PROPERTY))
        exdates.insert(ical_text(icalproperty_get_exdate(x), false));
      icalrecurrencetype rule = icalproperty_get_rrule(rrule_p);
      const char* rule_chars = icalrecurrencetype_as_string(&rule);
      const std::string rule_text = rule_chars ? rule_chars : "(unreadable)";
      if (auto why = unusable_recurrence(shape_of(rule))) {
        issues->push_back(RowIssue{line, "starts_at", "RRULE " + rule_text + ": " + *why, Severity::error, ""});
        continue;
      }
      icalrecur_iterator* it = icalrecur_iterator_new(rule, start.t);
      if (!it) {
        issues->push_back(RowIssue{line, "starts_at", "RRULE cannot be expanded: " + rule_text, Severity::error, ""});
        continue;
      }
      // Start stepping at the window, not at a DTSTART years before it (not
      // possible for COUNT rules: their COUNT bounds the walk instead).
      if (rule.count == 0 && static_cast<UnixSeconds>(icaltime_as_timet(start.t)) + 86400 < opt.window_start) {
        icaltimetype from = icaltime_from_timet_with_zone(static_cast<time_t>(opt.window_start - 86400), start.t.is_date,
                                                          icaltime_get_timezone(start.t));
        if (start.t.is_date) from.is_date = 1;
        icalrecur_iterator_set_start(it, from);
      }
      int count = 0;
      long steps = 0;
      const long max_steps = 20L * opt.max_occurrences + 10000;
      for (icaltimetype occ = icalrecur_iterator_next(it); !icaltime_is_null_time(occ); occ = icalrecur_iterator_next(it)) {
        if (++steps > max_steps || Clock::now() > deadline) {
          issues->push_back(RowIssue{line, "starts_at",
                                     "RRULE " + rule_text + ": expansion stopped after " + std::to_string(steps - 1) +
                                         " steps (the rule yields too few instances inside the import window)",
                                     Severity::error, ""});
          break;
        }
        const auto at = static_cast<UnixSeconds>(icaltime_as_timet(occ));
        if (at > opt.window_end) break;
        if (at + 86400 < opt.window_start) continue;
        const std::string occ_text = ical_text(occ, false);
        if (exdates.count(occ_text) || overridden.count(uid + "@" + occ_text)) continue;
        if (++count > opt.max_occurrences) {
          issues->push_back(RowIssue{line, "starts_at",
                                     "recurrence stopped after " + std::to_string(opt.max_occurrences) + " occurrences",
                                     Severity::warning, ""});
          break;
        }
        if (!emit(occ, uid_or_fallback + "@" + occ_text)) break;
      }
      icalrecur_iterator_free(it);
    }
  }
  if (vevent_index == 0) *fatal = "no VEVENT in the iCalendar file";
  return out;
}

}  // namespace marquee
