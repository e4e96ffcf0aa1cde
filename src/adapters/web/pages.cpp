#include "adapters/web/pages.hpp"


#include <map>
#include <set>
#include <sstream>

#include "core/time_zone.hpp"
#include "adapters/render/markdown.hpp"
#include "adapters/render/templates.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

TemplateData page(const SiteInfo& site, const std::string& title, TemplateData content) {
  content.set("site_name", site.name);
  content.set("page_title", title);
  content.set("og_title", title);
  content.set("icon_href", site.logo_href.empty() ? std::string("/static/favicon.svg") : site.logo_href);
  set_text(content, "og_image", site.public_url.empty() || site.logo_href.empty() ? "" : site.public_url + site.logo_href);
  content.set("css_href", "/static/app.css");
  // The visitor app (issue 20), an enhancement (every page works without it),
  // in this order: offline.js (service worker, offline banner, pages drawn
  // from the kept programme), event-live.js (places kept current, what
  // changed since the last look, sharing), visitor.js (stars, My agenda).
  content.set("app_scripts", TemplateData{list{TemplateData("/static/offline.js"), TemplateData("/static/event-live.js"),
                                              TemplateData("/static/visitor.js")}});
  content.set("home_href", "/");
  TemplateData nav{list{}};
  for (auto [label, href] : {std::pair{"Programme", "/"}, std::pair{"Changes", "/changelog"}, std::pair{"Submit an event", "/submit"}}) {
    TemplateData link{object{}};
    link.set("label", label);
    link.set("href", href);
    link.set("current", false);
    nav.push_back(link);
  }
  content.set("nav", nav);
  content.set("footer", "Times are shown in each venue's local time zone.");
  set_text(content, "logo_href", site.logo_href);
  set_text(content, "contact_email", site.contact_email);
  return content;
}

std::string location_text(const Event& e) {
  std::vector<std::string> parts;
  for (const auto* p : {&e.venue, &e.room, &e.address})
    if (!p->empty()) parts.push_back(*p);
  return join(parts, ", ");
}

TemplateData options(const std::set<std::string>& values, const std::string& selected) {
  TemplateData l{list{}};
  for (const auto& v : values) {
    TemplateData o{object{}};
    o.set("value", v);
    o.set("selected", v == selected);
    l.push_back(o);
  }
  return l;
}

}  // namespace

SiteRef::SiteRef(SiteInfo fixed) : fixed_(std::move(fixed)) {}

namespace {
// "Fri 11 Jun" for "2026-06-12": a day tab.
std::string short_day_label(const std::string& ymd) {
  const std::string full = day_label(ymd);  // "Friday 12 June 2026"
  if (full == ymd) return ymd;
  std::istringstream words(full);
  std::string weekday, day, month;
  words >> weekday >> day >> month;
  return weekday.substr(0, 3) + " " + day + " " + month.substr(0, 3);
}
}  // namespace

std::string first_upcoming_day(const Programme& p, UnixSeconds now) {
  // Today's date in each zone the programme uses (a long exhibition that
  // started days ago must not pin the page to its first day).
  std::map<std::string, std::string> today;
  std::string last;
  for (const auto& e : p.entries()) {
    auto it = today.find(e.event.time_zone);
    if (it == today.end()) it = today.emplace(e.event.time_zone, to_local(now, e.event.time_zone).date).first;
    if (e.local_date >= it->second) return e.local_date;
    last = e.local_date;
  }
  return last;
}

namespace {

// What every event card shows (programme, promoted, suggestions): key,
// title, time, start_iso, zone, venue, room, category, cancelled.
TemplateData event_card(const ProgrammeEntry& entry) {
  const Event& e = entry.event;
  TemplateData card{object{}};
  card.set("key", e.key);
  card.set("title", e.title);
  card.set("time", time_range(entry));
  card.set("start_iso", entry.local_date + (e.all_day ? "" : "T" + entry.local_start + entry.utc_offset));
  card.set("zone", entry.zone_abbrev);
  set_text(card, "venue", e.venue);
  set_text(card, "room", e.room);
  set_text(card, "category", e.category);
  card.set("cancelled", e.status == EventStatus::cancelled);
  return card;
}

TemplateData promoted_cards(const std::vector<PromotedCard>& cards) {
  TemplateData out{list{}};
  for (const auto& c : cards) {
    TemplateData card = event_card(*c.entry);
    card.set("href", c.href);
    card.set("day", short_day_label(c.entry->local_date));
    set_text(card, "partner", c.partner);
    out.push_back(card);
  }
  return out;
}

}  // namespace

std::string programme_page_html(const SiteInfo& site, const Programme& p, const QueryPage& result,
                                const EventQuery& q, const ProgrammeView& view, const PromotedContent* promoted) {
  std::set<std::string> categories, venues;
  std::vector<std::pair<std::string, int>> day_counts;  // in programme order
  for (const auto& e : p.entries()) {
    if (!e.event.category.empty()) categories.insert(e.event.category);
    if (!e.event.venue.empty()) venues.insert(e.event.venue);
    if (day_counts.empty() || day_counts.back().first != e.local_date) day_counts.emplace_back(e.local_date, 0);
    ++day_counts.back().second;
  }
  TemplateData tabs{list{}};
  for (const auto& [date, count] : day_counts) {
    TemplateData t{object{}};
    t.set("date", date);
    t.set("label", short_day_label(date));
    t.set("long_label", day_label(date));
    t.set("count", std::to_string(count));
    t.set("current", !view.filtered && date == view.day);
    t.set("past", !view.first_upcoming_day.empty() && date < view.first_upcoming_day);
    tabs.push_back(t);
  }
  TemplateData days{list{}};
  TemplateData day{object{}};
  TemplateData events{list{}};
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    day.set("events", events);
    days.push_back(day);
    events = TemplateData{list{}};
  };
  for (const auto* entry : result.items) {
    if (entry->local_date != current) {
      flush();
      current = entry->local_date;
      day = TemplateData{object{}};
      day.set("date", current);
      day.set("label", day_label(current));
    }
    TemplateData ev = event_card(*entry);
    events.push_back(ev);
  }
  flush();
  TemplateData d{object{}};
  d.set("days", days);
  d.set("tabs", tabs);
  d.set("has_tabs", day_counts.size() > 1);
  d.set("q", q.q);
  d.set("from", q.from_date);
  d.set("to", q.to_date);
  d.set("categories", options(categories, q.category));
  d.set("venues", options(venues, q.venue));
  d.set("filtered", view.filtered);
  d.set("filters_used", !q.category.empty() || !q.venue.empty() || !q.from_date.empty() || !q.to_date.empty());
  d.set("count", std::to_string(result.total));
  d.set("total", std::to_string(p.entries().size()));
  d.set("shown", std::to_string(result.items.size()));
  d.set("empty", result.items.empty());
  if (promoted) {
    d.set("featured", promoted_cards(view.filtered ? std::vector<PromotedCard>{} : promoted->featured));
    d.set("has_featured", !view.filtered && !promoted->featured.empty());
    d.set("promoted", promoted_cards(promoted->promoted));
    d.set("has_promoted", !promoted->promoted.empty());
  } else {
    d.set("has_featured", false);
    d.set("has_promoted", false);
  }
  set_text(d, "next_href", view.next_href);
  set_text(d, "first_href", view.first_href);
  if (!view.filtered && !view.day.empty()) {
    d.set("day_label", day_label(view.day));
    d.set("day_is_past", !view.first_upcoming_day.empty() && view.day < view.first_upcoming_day);
  }
  const std::string title = view.filtered ? "Search – " + site.name
                            : view.day.empty() ? "Programme – " + site.name
                                               : "Programme, " + day_label(view.day) + " – " + site.name;
  return render_template("layout", page(site, title, [&] {
                           TemplateData c{object{}};
                           c.set("content", render_template("programme", d));
                           return c;
                         }()));
}

std::string google_calendar_url(const Event& e, const std::string& page_url) {
  auto compact = [](std::string t) {
    std::string out;
    for (char c : t)
      if (c != '-' && c != ':') out += c;
    return out;
  };
  std::string dates;
  if (e.all_day) {
    const UnixSeconds end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at + 86400;
    dates = compact(to_local(e.starts_at, e.time_zone).date) + "/" + compact(to_local(end, e.time_zone).date);
  } else {
    const UnixSeconds end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at + 3600;
    dates = compact(format_utc(e.starts_at)) + "/" + compact(format_utc(end));
  }
  std::string url = "https://calendar.google.com/calendar/render?action=TEMPLATE&text=" + percent_encode(e.title) +
                    "&dates=" + percent_encode(dates) + "&ctz=" + percent_encode(e.time_zone);
  const std::string where = location_text(e);
  if (!where.empty()) url += "&location=" + percent_encode(where);
  if (!page_url.empty()) url += "&details=" + percent_encode(page_url);
  return url;
}

std::string outlook_calendar_url(const Event& e, const std::string& page_url) {
  std::string url = "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject=" +
                    percent_encode(e.title);
  if (e.all_day) {
    const UnixSeconds end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at + 86400;
    url += "&allday=true&startdt=" + to_local(e.starts_at, e.time_zone).date + "&enddt=" + to_local(end, e.time_zone).date;
  } else {
    const UnixSeconds end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at + 3600;
    url += "&startdt=" + percent_encode(format_rfc3339(e.starts_at, e.time_zone)) +
           "&enddt=" + percent_encode(format_rfc3339(end, e.time_zone));
  }
  const std::string where = location_text(e);
  if (!where.empty()) url += "&location=" + percent_encode(where);
  if (!page_url.empty()) url += "&body=" + percent_encode(page_url);
  return url;
}

std::string map_url(const Event& e) {
  if (e.address.empty()) return "";
  std::string query = e.address;
  if (!e.venue.empty() && e.address.find(e.venue) == std::string::npos && e.address.find(',') == std::string::npos)
    query = e.venue + ", " + e.address;
  return "https://www.openstreetmap.org/search?query=" + percent_encode(query);
}

namespace {

TemplateData suggestion_cards(const std::vector<const ProgrammeEntry*>& entries) {
  TemplateData out{list{}};
  for (const ProgrammeEntry* entry : entries) out.push_back(event_card(*entry));
  return out;
}

}  // namespace

std::string event_page_html(const SiteInfo& site, const ProgrammeEntry& entry, const Places& places,
                            const EventSuggestions* suggestions) {
  const Event& e = entry.event;
  TemplateData d{object{}};
  d.set("starts_at", format_utc(e.starts_at));
  d.set("ends_at", format_utc(e.ends_at));  // as in the JSON (event_json), which My agenda compares with
  d.set("status", e.status == EventStatus::cancelled ? "cancelled" : "published");
  d.set("where", join([&] {
          std::vector<std::string> parts;
          for (const auto* part : {&e.venue, &e.room})
            if (!part->empty()) parts.push_back(*part);
          return parts;
        }(), ", "));
  const bool suggest = suggestions && (!suggestions->same_venue.empty() || !suggestions->same_time.empty());
  d.set("has_same_venue", suggest && !suggestions->same_venue.empty());
  d.set("has_same_time", suggest && !suggestions->same_time.empty());
  if (suggest) {
    d.set("same_venue", suggestion_cards(suggestions->same_venue));
    d.set("same_time", suggestion_cards(suggestions->same_time));
  }
  d.set("title", e.title);
  d.set("key", e.key);
  d.set("day", day_label(entry.local_date));
  d.set("time", time_range(entry));
  d.set("zone", e.time_zone);
  set_text(d, "zone_abbrev", entry.zone_abbrev);
  d.set("start_iso", entry.local_date + (e.all_day ? "" : "T" + entry.local_start + entry.utc_offset));
  set_text(d, "venue", e.venue);
  set_text(d, "address", e.address);
  set_text(d, "room", e.room);
  set_text(d, "category", e.category);
  TemplateData tags{list{}};
  for (const auto& t : e.tags) tags.push_back(TemplateData(t));
  d.set("tags", tags);
  d.set("has_tags", !e.tags.empty());
  set_text(d, "organizer", e.organizer);
  set_text(d, "price", e.price);
  set_text(d, "places", places_text(places));
  d.set("places_full", places.state == PlacesState::full || places.state == PlacesState::full_waitlist);
  set_text(d, "register_label", e.status == EventStatus::published ? register_label(places) : "");
  const std::string page_url = site.public_url.empty() ? "" : site.public_url + "/events/" + e.key;
  // Through Marquee (adapters/web/go_links), so that each choice is counted.
  set_text(d, "google_url", "/go/" + e.key + "/google");
  set_text(d, "outlook_url", "/go/" + e.key + "/outlook");
  set_text(d, "map_url", map_url(e));
  set_text(d, "url", has_http_scheme(e.url) ? "/go/" + e.key : std::string());
  d.set("cancelled", e.status == EventStatus::cancelled);
  d.set("description_html", markdown_to_html(e.description));
  d.set("calendar", e.status == EventStatus::published);
  TemplateData c{object{}};
  c.set("content", render_template("event", d));
  TemplateData layout = page(site, e.title + " – " + site.name, c);
  layout.set("og_title", e.title);
  set_text(layout, "og_url", page_url);
  std::string summary;
  for (char ch : collapse_whitespace(e.description))
    if (ch != '*' && ch != '#' && ch != '`') summary += ch;  // Markdown emphasis and headings read as noise in a card
  if (summary.size() > 200) {
    std::size_t cut = 197;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    summary = summary.substr(0, cut) + "…";
  }
  if (summary.empty()) summary = day_label(entry.local_date) + ", " + time_range(entry) + (e.venue.empty() ? "" : " · " + e.venue);
  layout.set("og_description", summary);
  return render_template("layout", layout);
}

std::string layout_page(const SiteInfo& site, const std::string& title, const std::string& content_html) {
  TemplateData c{object{}};
  c.set("content", content_html);
  return render_template("layout", page(site, title + " – " + site.name, c));
}

std::string error_page_html(const SiteInfo& site, int status, const std::string& title, const std::string& detail) {
  TemplateData d{object{}};
  d.set("status", std::to_string(status));
  d.set("title", title);
  d.set("detail", detail);
  TemplateData c{object{}};
  c.set("content", render_template("error", d));
  return render_template("layout", page(site, title + " – " + site.name, c));
}

}  // namespace marquee
