#include "adapters/formats/ics_writer.hpp"

extern "C" {
#include <libical/ical.h>
}

#include <cstdlib>
#include <memory>

#include "adapters/formats/time_zone.hpp"
#include "core/text.hpp"

namespace marquee {

std::string event_ics(const Event& e, UnixSeconds now, const std::string& method) {
  icalcomponent* cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)> guard(cal, &icalcomponent_free);
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Marquee//Marquee event programme//EN"));
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  if (method == "PUBLISH") icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  else if (method == "REQUEST") icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_REQUEST));

  icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  icalcomponent_add_property(ev, icalproperty_new_uid((e.key + "@marquee").c_str()));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(now, 0, icaltimezone_get_utc_timezone())));
  if (e.all_day) {
    const LocalTime s = to_local(e.starts_at, e.time_zone), en = to_local(e.ends_at, e.time_zone);
    icaltimetype start = icaltime_null_date(), end = icaltime_null_date();
    start.year = s.year; start.month = s.month; start.day = s.day;
    end.year = en.year; end.month = en.month; end.day = en.day;
    icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
    icalcomponent_add_property(ev, icalproperty_new_dtend(end));
  } else {
    icaltimezone* utc = icaltimezone_get_utc_timezone();
    icalcomponent_add_property(ev, icalproperty_new_dtstart(icaltime_from_timet_with_zone(e.starts_at, 0, utc)));
    icalcomponent_add_property(ev, icalproperty_new_dtend(icaltime_from_timet_with_zone(e.ends_at, 0, utc)));
  }
  icalcomponent_add_property(ev, icalproperty_new_summary(e.title.c_str()));
  if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
  std::vector<std::string> where;
  for (const auto* part : {&e.venue, &e.room, &e.address})
    if (!part->empty()) where.push_back(*part);
  if (!where.empty()) icalcomponent_add_property(ev, icalproperty_new_location(join(where, ", ").c_str()));
  if (has_http_scheme(e.url)) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
  icalcomponent_add_property(ev, icalproperty_new_status(e.status == EventStatus::cancelled ? ICAL_STATUS_CANCELLED
                                                                                              : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_component(cal, ev);
  char* text = icalcomponent_as_ical_string_r(cal);
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace marquee
