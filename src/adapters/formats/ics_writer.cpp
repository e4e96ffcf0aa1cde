#include "adapters/formats/ics_writer.hpp"

extern "C" {
#include <libical/ical.h>
}

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/time_zone.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using Component = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;

// libical's zone table is global: loading a builtin zone is guarded here.
std::mutex& zone_mutex() {
  static std::mutex m;
  return m;
}

icaltimezone* builtin_zone(const std::string& name) {
  icaltimezone* z = icaltimezone_get_builtin_timezone(name.c_str());
  if (!z) throw std::runtime_error("iCalendar: the time zone '" + name + "' is unknown");
  return z;
}

// A VTIMEZONE for `name` whose TZID is the plain IANA name, with the
// observances from `since` (UTC) on.
// Truncation expands the zone's rules, so each (zone, start) is truncated
// once and cloned from then on; `since` is rounded down to a whole day.
icalcomponent* vtimezone(const std::string& name, UnixSeconds since) {
  static std::map<std::pair<std::string, UnixSeconds>, icalcomponent*> prototypes;  // kept for the process
  since -= ((since % 86400) + 86400) % 86400;
  std::lock_guard lock(zone_mutex());
  icalcomponent*& prototype = prototypes[{name, since}];
  if (!prototype) {
    icalcomponent* vtz = icalcomponent_new_clone(icaltimezone_get_component(builtin_zone(name)));
    icaltimezone_truncate_vtimezone(vtz, icaltime_from_timet_with_zone(since, 0, icaltimezone_get_utc_timezone()),
                                    icaltime_null_time(), 0);
    if (icalproperty* tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)) icalproperty_set_tzid(tzid, name.c_str());
    prototype = vtz;
  }
  return icalcomponent_new_clone(prototype);
}

icalproperty* local_time(icalproperty* (*make)(icaltimetype), UnixSeconds t, const std::string& zone) {
  if (zone.empty() || zone == "UTC" || zone == "Etc/UTC")
    return make(icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone()));
  const LocalTime l = to_local(t, zone);
  icaltimetype v = icaltime_null_time();
  v.year = l.year; v.month = l.month; v.day = l.day;
  v.hour = l.hour; v.minute = l.minute; v.second = l.second;
  icalproperty* p = make(v);
  icalproperty_add_parameter(p, icalparameter_new_tzid(zone.c_str()));
  return p;
}

icalproperty* local_date(icalproperty* (*make)(icaltimetype), UnixSeconds t, const std::string& zone) {
  const LocalTime l = to_local(t, zone);
  icaltimetype v = icaltime_null_date();
  v.year = l.year; v.month = l.month; v.day = l.day;
  return make(v);
}

icalproperty* x_property(const char* name, const std::string& value) {
  icalproperty* p = icalproperty_new_x(value.c_str());
  icalproperty_set_x_name(p, name);
  return p;
}

icalproperty* person(icalproperty* (*make)(const char*), const std::string& email, const std::string& name) {
  icalproperty* p = make(("mailto:" + email).c_str());
  if (!name.empty()) icalproperty_add_parameter(p, icalparameter_new_cn(name.c_str()));
  return p;
}

icalcomponent* vevent(const CalendarEntry& entry, UnixSeconds now, const CalendarOptions& opt) {
  const Event& e = *entry.event;
  icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  icalcomponent_add_property(ev, icalproperty_new_uid((e.key + "@marquee").c_str()));
  icalcomponent_add_property(ev, icalproperty_new_sequence(static_cast<int>(entry.sequence)));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(now, 0, icaltimezone_get_utc_timezone())));
  if (e.all_day) {
    icalcomponent_add_property(ev, local_date(icalproperty_new_dtstart, e.starts_at, e.time_zone));
    icalcomponent_add_property(ev, local_date(icalproperty_new_dtend, e.ends_at, e.time_zone));
  } else {
    icalcomponent_add_property(ev, local_time(icalproperty_new_dtstart, e.starts_at, e.time_zone));
    icalcomponent_add_property(ev, local_time(icalproperty_new_dtend, e.ends_at, e.time_zone));
  }
  icalcomponent_add_property(ev, icalproperty_new_summary(e.title.c_str()));
  if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
  std::vector<std::string> where;
  for (const auto* part : {&e.venue, &e.room, &e.address})
    if (!part->empty()) where.push_back(*part);
  if (!where.empty()) icalcomponent_add_property(ev, icalproperty_new_location(join(where, ", ").c_str()));
  std::vector<std::string> categories;
  if (!e.category.empty()) categories.push_back(e.category);
  for (const auto& t : e.tags) categories.push_back(t);
  for (const auto& c : categories) icalcomponent_add_property(ev, icalproperty_new_categories(c.c_str()));
  const std::string& url = entry.url.empty() ? e.url : entry.url;
  if (has_http_scheme(url)) icalcomponent_add_property(ev, icalproperty_new_url(url.c_str()));
  const bool cancelled = e.status == EventStatus::cancelled || opt.method == "CANCEL";
  icalcomponent_add_property(ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
  if (!opt.organizer_email.empty())
    icalcomponent_add_property(ev, person(icalproperty_new_organizer, opt.organizer_email, opt.organizer_name));
  if (!opt.attendee_email.empty()) {
    icalproperty* a = person(icalproperty_new_attendee, opt.attendee_email, opt.attendee_name);
    icalproperty_add_parameter(a, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(a, icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
    icalproperty_add_parameter(a, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
    icalcomponent_add_property(ev, a);
  }
  icalcomponent_add_property(ev, x_property("X-MARQUEE-KEY", e.key));
  if (!e.venue.empty()) icalcomponent_add_property(ev, x_property("X-MARQUEE-VENUE", e.venue));
  if (!e.room.empty()) icalcomponent_add_property(ev, x_property("X-MARQUEE-ROOM", e.room));
  if (!e.address.empty()) icalcomponent_add_property(ev, x_property("X-MARQUEE-ADDRESS", e.address));
  if (!e.organizer.empty()) icalcomponent_add_property(ev, x_property("X-MARQUEE-ORGANIZER", e.organizer));
  // A DATE value has no TZID (RFC 5545 §3.2.19): the zone its day is in comes along here.
  if (e.all_day && !e.time_zone.empty()) icalcomponent_add_property(ev, x_property("X-MARQUEE-TIME-ZONE", e.time_zone));
  return ev;
}

}  // namespace

std::string calendar_ics(const std::vector<CalendarEntry>& entries, UnixSeconds now, const CalendarOptions& opt) {
  Component cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT), &icalcomponent_free);
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Marquee//Marquee event programme//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  if (opt.method == "PUBLISH") icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  else if (opt.method == "REQUEST") icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_REQUEST));
  else if (opt.method == "CANCEL") icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_CANCEL));
  if (!opt.name.empty()) icalcomponent_add_property(cal.get(), x_property("X-WR-CALNAME", opt.name));

  // Zones used by timed events, each from a year before its first event.
  std::map<std::string, UnixSeconds> zones;
  for (const auto& entry : entries) {
    const Event& e = *entry.event;
    if (e.all_day || e.time_zone.empty() || e.time_zone == "UTC" || e.time_zone == "Etc/UTC") continue;
    auto [it, fresh] = zones.emplace(e.time_zone, e.starts_at);
    if (!fresh && e.starts_at < it->second) it->second = e.starts_at;
  }
  for (const auto& [zone, first] : zones) icalcomponent_add_component(cal.get(), vtimezone(zone, first - 366 * 86400));
  for (const auto& entry : entries) icalcomponent_add_component(cal.get(), vevent(entry, now, opt));

  char* text = icalcomponent_as_ical_string_r(cal.get());
  std::string out(text);
  std::free(text);
  return out;
}

std::string event_ics(const Event& e, UnixSeconds now, const std::string& method) {
  CalendarOptions opt;
  opt.method = method;
  return calendar_ics({CalendarEntry{&e, 0, ""}}, now, opt);
}

}  // namespace marquee
