#include "adapters/pipeline/site_pages.hpp"

#include "adapters/assets/embedded.hpp"
#include "adapters/render/templates.hpp"
#include "core/text.hpp"

using kainjow::mustache::list;
using kainjow::mustache::object;

namespace marquee::pipeline {
namespace {

struct PageSpec {
  const char* file;
  const char* label;
  const char* tmpl;
};
constexpr PageSpec kPages[] = {{"index.html", "Schedule", "pipeline_schedule"},
                               {"summaries.html", "Summaries", "pipeline_summaries"},
                               {"corrections.html", "Corrections", "pipeline_corrections"}};

TemplateData count_data(const CountCell& c, std::int64_t threshold) {
  TemplateData d{object{}};
  d.set("value", c.value);
  d.set("count", count_text(c, threshold));
  d.set("suppressed", c.suppressed);
  return d;
}

TemplateData content_data(const PublicSummary& s) {
  TemplateData d{object{}};
  d.set("title", s.title);
  d.set("threshold", std::to_string(s.threshold));
  d.set("locked", s.locked);
  set_text(d, "lock_date", s.lock_date);
  d.set("registrants", count_text(s.registrants, s.threshold));
  d.set("cancelled", count_text(s.cancelled, s.threshold));
  d.set("duplicates", count_text(s.duplicates_marked, s.threshold));
  d.set("conflicts", s.conflicts < 0 ? "<" + std::to_string(s.threshold) : std::to_string(s.conflicts));
  // Schedule grouped by day.
  TemplateData days{list{}};
  for (std::size_t i = 0; i < s.sessions.size();) {
    const std::string day = s.sessions[i].day;
    TemplateData dd{object{}};
    dd.set("day", day);
    TemplateData rows{list{}};
    for (; i < s.sessions.size() && s.sessions[i].day == day; ++i) {
      const SessionRow& r = s.sessions[i];
      TemplateData row{object{}};
      row.set("key", r.key);
      row.set("title", r.title);
      row.set("start", r.start_local);
      row.set("end", r.end_local);
      row.set("starts_at", r.starts_at);
      row.set("time_zone", r.time_zone);
      row.set("place", join(std::vector<std::string>{r.venue, r.room}, " · "));
      set_text(row, "category", r.category);
      row.set("cancelled", r.cancelled);
      row.set("changed_after_lock", r.changed_after_lock);
      set_text(row, "changes", join(r.changes, "; "));
      row.set("registered", count_text(r.registered, s.threshold));
      set_text(row, "waitlisted", r.waitlisted.count > 0 ? count_text(r.waitlisted, s.threshold) : "");
      set_text(row, "capacity", r.capacity ? std::to_string(*r.capacity) : "");
      rows.push_back(row);
    }
    dd.set("sessions", rows);
    days.push_back(dd);
  }
  d.set("days", days);
  TemplateData day_rows{list{}};
  for (const auto& day : s.days) {
    TemplateData row = count_data(day.attendees, s.threshold);
    row.set("sessions", std::to_string(day.sessions));
    day_rows.push_back(row);
  }
  d.set("day_rows", day_rows);
  TemplateData dims{list{}};
  for (const auto& dim : s.dimensions) {
    TemplateData dd{object{}};
    dd.set("label", dim.label);
    dd.set("field", dim.field);
    TemplateData cells{list{}};
    for (const auto& c : dim.cells) cells.push_back(count_data(c, s.threshold));
    dd.set("cells", cells);
    dims.push_back(dd);
  }
  d.set("dimensions", dims);
  TemplateData corrections{list{}};
  for (const auto& c : s.corrections) {
    TemplateData row{object{}};
    row.set("kind", c.kind);
    row.set("where", c.where);
    row.set("target", c.target);
    row.set("field", c.field);
    row.set("effect", c.effect);
    row.set("reason", c.reason);
    row.set("author", c.author);
    row.set("date", c.date);
    row.set("after_lock", c.after_lock);
    corrections.push_back(row);
  }
  d.set("corrections", corrections);
  d.set("no_corrections", s.corrections.empty());
  return d;
}

}  // namespace

std::map<std::string, std::string> site_files(const PublicSummary& s,
                                              const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> files;
  const TemplateData content = content_data(s);
  for (const auto& page : kPages) {
    TemplateData layout{object{}};
    layout.set("site_name", s.title);
    layout.set("page_title", std::string(page.label) + " – " + s.title);
    layout.set("css_href", "static/app.css");
    layout.set("icon_href", "static/favicon.svg");
    layout.set("home_href", "index.html");
    TemplateData nav{list{}};
    for (const auto& other : kPages) {
      TemplateData link{object{}};
      link.set("label", other.label);
      link.set("href", other.file);
      link.set("current", &other == &page);
      nav.push_back(link);
    }
    layout.set("nav", nav);
    layout.set("footer", "Counts below " + std::to_string(s.threshold) +
                             " are not published. Times are shown in each venue's local time zone.");
    layout.set("content", render_template(page.tmpl, content, overrides));
    files[page.file] = render_template("layout", layout, overrides);
  }
  files["static/app.css"] = std::string(embedded_asset("static/app.css"));
  files["static/favicon.svg"] = std::string(embedded_asset("static/favicon.svg"));
  return files;
}

}  // namespace marquee::pipeline
