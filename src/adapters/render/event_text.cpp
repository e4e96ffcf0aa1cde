#include "adapters/render/event_text.hpp"

#include <date/date.h>

#include "core/time_zone.hpp"

namespace marquee {
namespace {

const char* const kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kMonths[] = {"January", "February", "March", "April", "May", "June",
                               "July", "August", "September", "October", "November", "December"};

}  // namespace

std::string day_label(const std::string& ymd) {
  if (ymd.size() != 10) return ymd;
  const int y = std::stoi(ymd.substr(0, 4)), m = std::stoi(ymd.substr(5, 2)), d = std::stoi(ymd.substr(8, 2));
  const date::year_month_day date{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return ymd;
  const date::weekday wd{date::sys_days(date)};
  return std::string(kWeekdays[wd.c_encoding()]) + " " + std::to_string(d) + " " + kMonths[m - 1] + " " +
         std::to_string(y);
}

std::string time_range(const ProgrammeEntry& p) {
  if (p.event.all_day) {
    if (p.local_end_date != p.local_date) return "All day, until " + day_label(p.local_end_date);
    return "All day";
  }
  std::string out = p.local_start;
  if (p.event.ends_at > p.event.starts_at) out += "–" + p.local_end;
  return out;
}

std::string when_text(const Event& e) {
  ProgrammeEntry p;
  p.event = e;
  const LocalTime start = to_local(e.starts_at, e.time_zone);
  const LocalTime end = to_local(e.all_day && e.ends_at > e.starts_at ? e.ends_at - 1 : e.ends_at, e.time_zone);
  p.local_date = start.date;
  p.local_end_date = end.date;
  p.local_start = start.time;
  p.local_end = to_local(e.ends_at, e.time_zone).time;
  return day_label(p.local_date) + ", " + time_range(p) + " (" + e.time_zone + ")";
}

std::string instant_text(UnixSeconds t, const std::string& zone) {
  const LocalTime local = to_local(t, zone);
  return day_label(local.date) + ", " + local.time + " (" + zone + ")";
}

}  // namespace marquee
