#include "core/time_zone.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

namespace marquee {
namespace {

const date::time_zone* find(std::string_view name) {
  // Consecutive conversions are mostly in one zone (a programme of 100,000
  // events converts each start and end): the last zone found is kept per thread.
  thread_local std::string last_name;
  thread_local const date::time_zone* last_zone = nullptr;
  if (last_zone && name == last_name) return last_zone;
  try {
    const date::time_zone* z = date::locate_zone(name);
    last_name.assign(name);
    last_zone = z;
    return z;
  } catch (const std::exception&) {
    return nullptr;
  }
}

const date::time_zone* require(std::string_view name) {
  const auto* z = find(name);
  if (!z) throw std::runtime_error("unknown time zone '" + std::string(name) + "'");
  return z;
}

std::string two(int v) {
  if (v < 0 || v > 99) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
  }
  return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

}  // namespace

bool is_known_zone(std::string_view name) { return !name.empty() && find(name) != nullptr; }

std::vector<std::string> known_zone_names() {
  std::vector<std::string> out;
  const auto& db = date::get_tzdb();
  for (const auto& z : db.zones) out.emplace_back(z.name());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::string> canonical_zone(std::string_view name) {
  if (is_known_zone(name)) return std::string(name);
  std::string s(name);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (is_known_zone(s)) return s;
  // "/mozilla.org/20070129_1/Europe/Berlin", "/softwarestudio.org/Olson_20011030_5/America/New_York"
  for (std::size_t slash = s.find('/'); slash != std::string::npos; slash = s.find('/', slash + 1)) {
    const std::string tail = s.substr(slash + 1);
    if (is_known_zone(tail)) return tail;
  }
  static const std::map<std::string, std::string> windows = {
      {"W. Europe Standard Time", "Europe/Berlin"},     {"Romance Standard Time", "Europe/Paris"},
      {"GMT Standard Time", "Europe/London"},           {"Eastern Standard Time", "America/New_York"},
      {"Central Standard Time", "America/Chicago"},     {"Mountain Standard Time", "America/Denver"},
      {"Pacific Standard Time", "America/Los_Angeles"}, {"Central Europe Standard Time", "Europe/Budapest"},
      {"E. Australia Standard Time", "Australia/Brisbane"}, {"AUS Eastern Standard Time", "Australia/Sydney"},
      {"India Standard Time", "Asia/Kolkata"},          {"Tokyo Standard Time", "Asia/Tokyo"},
      {"UTC", "UTC"}, {"GMT", "UTC"}, {"Z", "UTC"}};
  auto it = windows.find(s);
  if (it != windows.end()) return it->second;
  return std::nullopt;
}

UnixSeconds to_utc(const DateTimeText& t, std::string_view zone) {
  using namespace date;
  const auto day = sys_days(year{t.year} / t.month / t.day);
  const auto tod = std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} + std::chrono::seconds{t.second};
  if (t.offset_minutes) {
    const auto utc = day + tod - std::chrono::minutes{*t.offset_minutes};
    return std::chrono::duration_cast<std::chrono::seconds>(utc.time_since_epoch()).count();
  }
  const auto* z = require(zone);
  const local_seconds local{(day + tod).time_since_epoch()};
  const auto info = z->get_info(local);
  sys_seconds utc;
  switch (info.result) {
    case local_info::unique: utc = sys_seconds{local.time_since_epoch() - info.first.offset}; break;
    case local_info::ambiguous: utc = sys_seconds{local.time_since_epoch() - info.first.offset}; break;
    case local_info::nonexistent:
      // Inside a spring-forward gap: read with the offset before the gap, which
      // lands the same distance after the transition.
      utc = sys_seconds{local.time_since_epoch() - info.first.offset};
      break;
  }
  return utc.time_since_epoch().count();
}

DateTimeText add_days(const DateTimeText& t, int n) {
  using namespace date;
  const year_month_day ymd{sys_days(year{t.year} / t.month / t.day) + days{n}};
  DateTimeText out = t;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return out;
}

LocalTime to_local(UnixSeconds t, std::string_view zone) {
  using namespace date;
  const auto* z = require(zone);
  const sys_seconds sys{std::chrono::seconds{t}};
  const auto info = z->get_info(sys);
  const auto local = local_seconds{sys.time_since_epoch() + info.offset};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<std::chrono::seconds> hms{local - day};
  LocalTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(hms.hours().count());
  out.minute = static_cast<int>(hms.minutes().count());
  out.second = static_cast<int>(hms.seconds().count());
  out.weekday = static_cast<int>(weekday{day}.c_encoding());
  out.date = std::to_string(out.year) + "-" + two(out.month) + "-" + two(out.day);
  out.time = two(out.hour) + ":" + two(out.minute);
  const auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
  const long a = off < 0 ? -off : off;
  out.offset = std::string(off < 0 ? "-" : "+") + two(static_cast<int>(a / 60)) + ":" + two(static_cast<int>(a % 60));
  out.abbrev = info.abbrev;
  return out;
}

std::string format_rfc3339(UnixSeconds t, std::string_view zone) {
  const LocalTime l = to_local(t, zone);
  return l.date + "T" + l.time + ":" + two(l.second) + l.offset;
}

std::string format_utc(UnixSeconds t) {
  const LocalTime l = to_local(t, "UTC");
  return l.date + "T" + l.time + ":" + two(l.second) + "Z";
}

}  // namespace marquee
