#include "adapters/web/console/events_console.hpp"

#include <algorithm>
#include <set>

#include "adapters/web/console/console_page.hpp"
#include "app/event_delete.hpp"
#include "adapters/http/form.hpp"
#include "adapters/web/html_response.hpp"
#include "app/event_create.hpp"
#include "app/event_edit.hpp"
#include "adapters/formats/events_csv_writer.hpp"
#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

constexpr int kPageSize = 100;

struct Column {
  const char* field;
  const char* label;
};
const Column kColumns[] = {{"title", "Title"},       {"starts_at", "Starts"}, {"ends_at", "Ends"},
                           {"venue", "Venue"},       {"room", "Room"},        {"category", "Category"},
                           {"capacity", "Capacity"}, {"status", "Status"}};

// Labels of the event form, in editable_fields() order.
const char* field_label(const std::string& f) {
  static const std::pair<const char*, const char*> labels[] = {
      {"title", "Title"}, {"description", "Description (Markdown)"}, {"starts_at", "Starts (local time)"},
      {"ends_at", "Ends (local time)"}, {"time_zone", "Time zone (IANA)"}, {"all_day", "All day"},
      {"venue", "Venue"}, {"address", "Address"}, {"room", "Room or track"}, {"category", "Category"},
      {"tags", "Tags (comma-separated)"}, {"organizer", "Organizer"}, {"url", "Link"}, {"image_url", "Image URL"},
      {"price", "Price"}, {"capacity", "Capacity (empty = unlimited)"}, {"status", "Status"},
      {"registration", "Registration open"}, {"waitlist", "Waiting list when full"},
      {"retention_days", "Delete attendee data after (days)"}, {"questions", "Registration questions"}};
  for (const auto& [k, v] : labels)
    if (f == k) return v;
  return "";
}

bool is_flag(const std::string& f) { return f == "all_day" || f == "registration" || f == "waitlist"; }

std::int64_t to_int(const std::string& s, std::int64_t fallback) { return parse_int(s).value_or(fallback); }

std::string warning_for(const Event& e, const std::string& field) {
  std::string out;
  for (const auto& w : e.warnings)
    if (w.field == field) out += (out.empty() ? "" : "; ") + w.message;
  return out;
}

// One sheet row. `error_field`/`error`: a refused edit shown on its cell.
TemplateData row_data(const Event& e, const ConsoleUser& user, const std::string& error_field = "",
                      const std::string& error = "", const std::string& attempted = "") {
  TemplateData row{object{}};
  row.set("key", e.key);
  row.set("title", e.title);
  row.set("version", std::to_string(e.version));
  row.set("status", std::string(to_string(e.status)));
  row.set("can_content", user.can(Capability::content, true));
  TemplateData cells{list{}};
  for (const auto& c : kColumns) {
    TemplateData cell{object{}};
    const std::string value = field_text(e, c.field);
    cell.set("field", c.field);
    cell.set("label", c.label);
    cell.set("value", error_field == c.field ? attempted : value);
    cell.set("stored", value);
    set_text(cell, "display", c.field == std::string("capacity") && value.empty() ? "unlimited" : value);
    set_text(cell, "warning", warning_for(e, c.field));
    set_text(cell, "error", error_field == c.field ? error : "");
    cell.set("editable", user.can(Capability::content, true));
    cells.push_back(cell);
  }
  row.set("cells", cells);
  std::string other;
  for (const auto& w : e.warnings) {
    bool shown = false;
    for (const auto& c : kColumns) shown = shown || w.field == c.field;
    if (!shown) other += (other.empty() ? "" : "; ") + w.field + ": " + w.message;
  }
  set_text(row, "other_warnings", other);
  set_text(row, "row_error", error_field.empty() || std::any_of(std::begin(kColumns), std::end(kColumns),
                                                                  [&](const Column& c) { return error_field == c.field; })
                                 ? ""
                                 : error_field + ": " + error);
  return row;
}

// The sheet's filter (q, status, category, venue, warnings), read by `param`
// from the query (the sheet) or from the bulk form (select all matching).
template <typename Param>
bool matches_filter(const Event& e, Param param) {
  const std::string q = search_fold(trim(param("q")));
  if (!q.empty()) {
    const std::string hay = search_fold(e.title + " " + e.key + " " + e.venue + " " + e.room + " " + e.organizer);
    if (hay.find(q) == std::string::npos) return false;
  }
  if (auto s = param("status"); !s.empty() && s != to_string(e.status)) return false;
  if (auto c = param("category"); !c.empty() && c != e.category) return false;
  if (auto v = param("venue"); !v.empty() && v != e.venue) return false;
  if (param("warnings") == "1" && e.warnings.empty()) return false;
  return true;
}

bool matches(const Event& e, const Request& req) {
  return matches_filter(e, [&](const char* name) { return req.param(name); });
}

// The bulk result page's rows for events left as they were, with the reason.
void add_kept_rows(TemplateData& results, const std::vector<std::pair<std::string, std::string>>& refused) {
  for (const auto& [key, why] : refused) {
    TemplateData r{object{}};
    r.set("key", key);
    r.set("title", key);
    r.set("outcome", "kept: " + why);
    r.set("failed", true);
    results.push_back(r);
  }
}

constexpr const char* kFilterParams[] = {"q", "status", "category", "venue", "warnings"};

// Fields a bulk change may set, with fixed values offered as a list.
constexpr const char* kBulkFields[] = {"status", "category", "venue", "room", "capacity", "registration", "waitlist",
                                       "price", "organizer", "time_zone", "retention_days"};

TemplateData options(const std::set<std::string>& values, const std::string& selected) {
  TemplateData out{list{}};
  for (const auto& v : values) {
    if (v.empty()) continue;
    TemplateData o{object{}};
    o.set("value", v);
    o.set("selected", v == selected);
    out.push_back(o);
  }
  return out;
}

std::string query_string(const Request& req, int page) {
  std::string out;
  for (const char* name : {"q", "status", "category", "venue", "warnings", "sort", "dir"}) {
    const std::string v = req.param(name);
    if (v.empty()) continue;
    out += std::string(out.empty() ? "?" : "&") + name + "=";
    for (unsigned char ch : v) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') out += static_cast<char>(ch);
      else {
        static const char* hex = "0123456789ABCDEF";
        out += '%';
        out += hex[ch >> 4];
        out += hex[ch & 15];
      }
    }
  }
  out += std::string(out.empty() ? "?" : "&") + "page=" + std::to_string(page);
  return out;
}

// The event form's fields; `theirs`: the other operator's version after a conflict.
TemplateData form_fields(const Event& e, const std::map<std::string, std::string>* typed,
                         const std::vector<RowIssue>& errors, const Event* theirs, bool editable) {
  TemplateData fields{list{}};
  for (const auto& f : editable_fields()) {
    TemplateData d{object{}};
    d.set("name", f);
    d.set("label", std::string(field_label(f)));
    std::string value = field_text(e, f);
    if (typed)
      if (auto it = typed->find(f); it != typed->end()) value = it->second;
    d.set("value", value);
    d.set("textarea", f == "description" || f == "questions");
    d.set("flag", is_flag(f));
    d.set("checked", is_flag(f) && (value == "true" || value == "on"));
    d.set("select_status", f == "status");
    d.set("plain", !is_flag(f) && f != "description" && f != "questions" && f != "status");
    d.set("readonly", !editable);
    TemplateData statuses{list{}};
    for (const char* s : {"draft", "published", "cancelled"}) {
      TemplateData o{object{}};
      o.set("value", std::string(s));
      o.set("selected", value == s);
      statuses.push_back(o);
    }
    d.set("statuses", statuses);
    std::string err;
    for (const auto& i : errors)
      if (i.field == f) err += (err.empty() ? "" : "; ") + i.message;
    set_text(d, "error", err);
    set_text(d, "warning", warning_for(e, f));
    if (theirs) {
      const std::string t = field_text(*theirs, f);
      set_text(d, "theirs", t != value ? (t.empty() ? std::string("(empty)") : t) : "");
    } else {
      set_text(d, "theirs", "");
    }
    fields.push_back(d);
  }
  return fields;
}

std::map<std::string, std::string> typed_values(const std::map<std::string, std::string>& form) {
  std::map<std::string, std::string> typed;
  for (const auto& f : editable_fields()) {
    auto it = form.find(f);
    typed[f] = it == form.end() ? (is_flag(f) ? "false" : "") : (is_flag(f) ? "true" : it->second);
  }
  return typed;
}

std::vector<std::pair<std::string, std::string>> ordered_changes(const std::map<std::string, std::string>& typed) {
  std::vector<std::pair<std::string, std::string>> changes;
  if (auto it = typed.find("time_zone"); it != typed.end()) changes.emplace_back(*it);  // dates are read in it
  if (auto it = typed.find("all_day"); it != typed.end()) changes.emplace_back(*it);
  for (const auto& f : editable_fields())
    if (f != "time_zone" && f != "all_day")
      if (auto it = typed.find(f); it != typed.end()) changes.emplace_back(*it);
  return changes;
}

}  // namespace

EventsConsole::EventsConsole(SiteRef site, EventReader& events, EventMoves& moves, const Clock& clock)
    : site_(std::move(site)), events_(events), moves_(moves), clock_(clock) {}

void EventsConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Capability c, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, c});
  };
  route("GET", "/admin/events", Capability::view, [this](const Request& r, const PathParams&) { return sheet(r); });
  route("POST", "/admin/events/bulk", Capability::content, [this](const Request& r, const PathParams&) { return bulk(r); });
  route("POST", "/admin/events/restore", Capability::content, [this](const Request& r, const PathParams&) { return restore(r); });
  route("GET", "/admin/demo", Capability::content, [this](const Request& r, const PathParams&) { return demo(r); });
  route("POST", "/admin/demo", Capability::content, [this](const Request& r, const PathParams&) { return demo(r); });
  route("GET", "/admin/events/new", Capability::content, [this](const Request& r, const PathParams&) { return form(r, ""); });
  route("POST", "/admin/events/new", Capability::content, [this](const Request& r, const PathParams&) { return create(r); });
  route("POST", "/admin/events/{key}/cell", Capability::content,
        [this](const Request& r, const PathParams& p) { return cell(r, p.at("key")); });
  route("GET", "/admin/events/{key}", Capability::view,
        [this](const Request& r, const PathParams& p) { return form(r, p.at("key")); });
  route("POST", "/admin/events/{key}", Capability::content,
        [this](const Request& r, const PathParams& p) { return save(r, p.at("key")); });
  route("GET", "/admin/export/events.csv", Capability::view,
        [this](const Request& r, const PathParams&) { return export_csv(r); });
}

Response EventsConsole::sheet(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto events = events_.list_events();
  std::set<std::string> categories, venues;
  for (const auto& e : events) {
    categories.insert(e.category);
    venues.insert(e.venue);
  }
  std::vector<const Event*> shown;
  for (const auto& e : events)
    if (matches(e, req)) shown.push_back(&e);
  const std::string sort = req.param("sort");
  const bool desc = req.param("dir") == "desc";
  auto key_of = [&](const Event* e) -> std::string {
    if (sort == "title") return search_fold(e->title);
    if (sort == "venue") return search_fold(e->venue) + "\x1f" + std::to_string(e->starts_at);
    if (sort == "status") return std::string(to_string(e->status));
    return "";
  };
  std::stable_sort(shown.begin(), shown.end(), [&](const Event* a, const Event* b) {
    if (sort == "updated_at") return desc ? a->updated_at > b->updated_at : a->updated_at < b->updated_at;
    if (sort.empty() || sort == "starts_at") return desc ? a->starts_at > b->starts_at : a->starts_at < b->starts_at;
    return desc ? key_of(a) > key_of(b) : key_of(a) < key_of(b);
  });
  const int pages = std::max<int>(1, (static_cast<int>(shown.size()) + kPageSize - 1) / kPageSize);
  const int page = std::clamp<int>(static_cast<int>(to_int(req.param("page"), 1)), 1, pages);
  TemplateData d = console_data(user);
  TemplateData rows{list{}};
  for (std::size_t i = static_cast<std::size_t>(page - 1) * kPageSize;
       i < shown.size() && i < static_cast<std::size_t>(page) * kPageSize; ++i)
    rows.push_back(row_data(*shown[i], user));
  d.set("rows", rows);
  TemplateData headers{list{}};
  for (const auto& c : kColumns) {
    TemplateData h{object{}};
    h.set("label", c.label);
    h.set("field", c.field);
    headers.push_back(h);
  }
  d.set("columns", headers);
  d.set("q", req.param("q"));
  d.set("categories", options(categories, req.param("category")));
  d.set("venues", options(venues, req.param("venue")));
  d.set("statuses", options({"draft", "published", "cancelled"}, req.param("status")));
  TemplateData sorts{list{}};
  for (auto [v, l] : {std::pair{"starts_at", "Start"}, {"title", "Title"}, {"venue", "Venue"}, {"status", "Status"},
                      {"updated_at", "Last change"}}) {
    TemplateData o{object{}};
    o.set("value", std::string(v));
    o.set("label", std::string(l));
    o.set("selected", sort == v);
    sorts.push_back(o);
  }
  d.set("sorts", sorts);
  d.set("desc", desc);
  d.set("warnings_only", req.param("warnings") == "1");
  d.set("shown", std::to_string(shown.size()));
  d.set("total", std::to_string(events.size()));
  d.set("page", std::to_string(page));
  d.set("pages", std::to_string(pages));
  set_text(d, "prev", page > 1 ? "/admin/events" + query_string(req, page - 1) : "");
  set_text(d, "next", page < pages ? "/admin/events" + query_string(req, page + 1) : "");
  TemplateData bulk_fields{list{}};
  for (const char* f : kBulkFields) {
    TemplateData o{object{}};
    o.set("value", "set:" + std::string(f));
    std::string label = field_label(f);
    if (!label.empty()) label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
    o.set("label", "Set " + label);
    bulk_fields.push_back(o);
  }
  d.set("bulk_fields", bulk_fields);
  TemplateData filter{list{}};
  bool filtered = false;
  for (const char* name : kFilterParams) {
    if (req.param(name).empty()) continue;
    filtered = true;
    TemplateData o{object{}};
    o.set("name", std::string(name));
    o.set("value", req.param(name));
    filter.push_back(o);
  }
  d.set("filter", filter);
  d.set("filtered", filtered);
  return console_page(site_, user, 200, "Events", "events", "admin_events", d, req.param("notice"));
}

Response EventsConsole::cell(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  const std::string field = form["field"];
  const bool known = std::any_of(std::begin(kColumns), std::end(kColumns), [&](const Column& c) { return field == c.field; });
  if (!known) return console_error(site_, user, 422, "Not editable here", "The sheet cannot edit '" + field + "'.", "/admin/events");
  FieldEdit edit = moves_.edit(key, to_int(form["version"], -1), {{field, form["value"]}}, req.actor);
  int status = 200;
  std::string error;
  switch (edit.result) {
    case FieldEdit::Result::not_found:
      return console_error(site_, user, 404, "No such event", "No event has the key '" + key + "'.", "/admin/events");
    case FieldEdit::Result::conflict:
      status = 409;
      error = "Not saved: someone else changed this event meanwhile (now version " + std::to_string(edit.event.version) +
              "; their value is shown). Your value was: " + form["value"];
      break;
    case FieldEdit::Result::invalid:
      status = 422;
      for (const auto& i : edit.errors) error += (error.empty() ? "" : "; ") + (i.field == field ? "" : i.field + ": ") + i.message;
      break;
    case FieldEdit::Result::saved:
    case FieldEdit::Result::unchanged:
      break;
  }
  if (!is_htmx(req)) {
    if (status == 200) return see_other("/admin/events?notice=saved");
    return console_error(site_, user, status, status == 409 ? "Edit conflict" : "Not saved", error, "/admin/events/" + key);
  }
  // On conflict show their current row; on invalid input keep the stored row
  // but show the typed value and the error on the cell.
  const Event& shown = edit.result == FieldEdit::Result::invalid ? *events_.find_event(key) : edit.event;
  return console_fragment(status, render_template("admin_event_row", row_data(shown, user, status == 200 ? "" : field, error,
                                                                                status == 422 ? form["value"] : field_text(shown, field))));
}

Response EventsConsole::bulk(const Request& req) {
  const ConsoleUser user = console_user(req);
  const auto pairs = parse_form_pairs(req.body);
  std::map<std::string, std::string> form;
  bool has_value = false;
  std::vector<std::pair<std::string, std::int64_t>> selected;
  for (const auto& [k, v] : pairs) {
    if (k == "select") {
      const auto colon = v.rfind(':');
      if (colon != std::string::npos) selected.emplace_back(v.substr(0, colon), to_int(v.substr(colon + 1), -1));
    } else {
      form[k] = v;
      if (k == "value") has_value = true;
    }
  }
  // "action" from the sheet (set:FIELD or delete); "field" from scripts and older forms.
  std::string action = form["action"];
  if (action.empty() && !form["field"].empty()) action = "set:" + form["field"];
  const auto events = events_.list_events();
  if (form["scope"] == "all") {
    selected.clear();
    for (const auto& e : events)
      if (matches_filter(e, [&](const char* name) { return form[name]; })) selected.emplace_back(e.key, e.version);
  }
  if (action != "delete" && !action.starts_with("set:"))
    return console_error(site_, user, 422, "Choose an action", "Pick what to do with the selected rows.", "/admin/events");
  const std::string field = action == "delete" ? "" : action.substr(4);
  if (action != "delete" && std::find(std::begin(kBulkFields), std::end(kBulkFields), field) == std::end(kBulkFields))
    return console_error(site_, user, 422, "Choose a field", "Pick the field to change for the selected rows.", "/admin/events");
  if (selected.empty())
    return console_error(site_, user, 422, "Nothing selected",
                         "Tick the rows to change first, or choose “all events matching the filter”.", "/admin/events");

  std::map<std::string, const Event*> by_key;
  for (const auto& e : events) by_key[e.key] = &e;
  if (action == "delete" ? form["confirm"] != "delete" : !has_value)
    return bulk_confirm(req, user, action, field, selected, by_key, events);
  if (action == "delete") return bulk_delete(req, user, selected);

  const std::string value = form["value"];
  TemplateData d = console_data(user);
  TemplateData results{list{}};
  int saved = 0, failed = 0;
  for (const auto& [key, version] : selected) {
    FieldEdit edit = moves_.edit(key, version, {{field, value}}, req.actor);
    TemplateData r{object{}};
    r.set("key", key);
    r.set("title", edit.event.title);
    std::string outcome;
    switch (edit.result) {
      case FieldEdit::Result::saved: outcome = "changed"; ++saved; break;
      case FieldEdit::Result::unchanged: outcome = "already so"; ++saved; break;
      case FieldEdit::Result::not_found: outcome = "no such event"; ++failed; break;
      case FieldEdit::Result::conflict:
        outcome = "not changed: someone else edited it meanwhile (now version " + std::to_string(edit.event.version) + ")";
        ++failed;
        break;
      case FieldEdit::Result::invalid:
        outcome = "not changed: ";
        for (const auto& i : edit.errors) outcome += i.field + " " + i.message + "; ";
        ++failed;
        break;
    }
    r.set("outcome", outcome);
    r.set("failed", edit.result == FieldEdit::Result::conflict || edit.result == FieldEdit::Result::invalid ||
                        edit.result == FieldEdit::Result::not_found);
    results.push_back(r);
  }
  d.set("results", results);
  d.set("heading", std::string(field_label(field)) + " → “" + value + "”");
  d.set("summary", std::to_string(saved) + " changed, " + std::to_string(failed) + " not changed.");
  return console_page(site_, user, failed ? 409 : 200, "Bulk change", "events", "admin_bulk_result", d);
}

Response EventsConsole::demo(const Request& req) {
  const ConsoleUser user = console_user(req);
  if (req.method == "POST") {
    const auto out = moves_.remove_demo(req.actor);
    if (out.refused.empty()) return see_other("/admin?notice=demo-removed");
    TemplateData d = console_data(user);
    TemplateData results{list{}};
    add_kept_rows(results, out.refused);
    d.set("results", results);
    d.set("heading", "Demo programme removed");
    d.set("summary", count_of(static_cast<std::int64_t>(out.deleted.size()), "event", "events") +
                         " deleted; these stay because people registered for them:");
    d.set("deleted", true);
    return console_page(site_, user, 200, "Demo programme", "events", "admin_bulk_result", d);
  }
  const auto keys = moves_.demo_keys();
  TemplateData d = console_data(user);
  d.set("count", count_of(static_cast<std::int64_t>(keys.size()), "event", "events"));
  d.set("any", !keys.empty());
  return console_page(site_, user, 200, "Remove the demo programme", "events", "admin_demo", d);
}

Response EventsConsole::restore(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto form = parse_form(req.body);
  try {
    const Event e = moves_.restore(to_int(form["audit"], -1), req.actor);
    return see_other("/admin/events/" + e.key + "?notice=restored-event");
  } catch (const RestoreRefused& e) {
    return console_error(site_, user, 409, "Not restored", e.what(), "/admin/audit");
  }
}

Response EventsConsole::bulk_confirm(const Request& req, const ConsoleUser& user, const std::string& action,
                                     const std::string& field,
                                     const std::vector<std::pair<std::string, std::int64_t>>& selected,
                                     const std::map<std::string, const Event*>& by_key, const std::vector<Event>& events) {
  TemplateData d = console_data(user);
  d.set("action", action);
  d.set("is_delete", action == "delete");
  d.set("count", count_of(static_cast<std::int64_t>(selected.size()), "event", "events"));
  TemplateData rows{list{}}, hidden{list{}};
  std::size_t n = 0;
  for (const auto& [key, version] : selected) {
    TemplateData h{object{}};
    h.set("value", key + ":" + std::to_string(version));
    hidden.push_back(h);
    if (++n > 50) continue;
    auto it = by_key.find(key);
    TemplateData r{object{}};
    r.set("key", key);
    r.set("title", it == by_key.end() ? key : it->second->title);
    rows.push_back(r);
  }
  d.set("rows", rows);
  d.set("selects", hidden);
  set_text(d, "more", selected.size() > 50 ? "… and " + std::to_string(selected.size() - 50) + " more" : "");
  if (action != "delete") {
    d.set("field_label", field_label(field));
    std::set<std::string> values;
    bool fixed = true;
    if (field == "status") values = {"draft", "published", "cancelled"};
    else if (field == "registration" || field == "waitlist") values = {"true", "false"};
    else if (field == "category" || field == "venue") {
      for (const auto& e : events) values.insert(field == "category" ? e.category : e.venue);
      values.erase("");
    } else {
      fixed = false;
    }
    d.set("fixed", fixed);
    d.set("values", options(values, ""));
    d.set("allow_new", field == "category" || field == "venue");
  }
  (void)req;
  return console_page(site_, user, 200, action == "delete" ? "Delete events" : "Bulk change", "events",
                      "admin_bulk_confirm", d);
}

Response EventsConsole::bulk_delete(const Request& req, const ConsoleUser& user,
                                    const std::vector<std::pair<std::string, std::int64_t>>& selected) {
  // Each row was chosen at a version; one edited since is kept (as bulk changes do).
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, std::string>> edited;
  std::map<std::string, std::int64_t> now_version;
  for (const auto& e : events_.list_events()) now_version[e.key] = e.version;
  for (const auto& [key, version] : selected) {
    auto it = now_version.find(key);
    if (it != now_version.end() && version >= 0 && it->second != version)
      edited.emplace_back(key, "someone edited it since you chose it (now version " + std::to_string(it->second) + ")");
    else
      keys.push_back(key);
  }
  auto out = moves_.remove(keys, req.actor);
  out.refused.insert(out.refused.end(), edited.begin(), edited.end());
  TemplateData d = console_data(user);
  TemplateData results{list{}};
  for (const auto& e : out.deleted) {
    TemplateData r{object{}};
    r.set("key", e.key);
    r.set("title", e.title);
    r.set("outcome", "deleted (restorable from the audit log)");
    r.set("failed", false);
    r.set("gone", true);
    results.push_back(r);
  }
  add_kept_rows(results, out.refused);
  d.set("results", results);
  d.set("heading", "Delete");
  d.set("summary", count_of(static_cast<std::int64_t>(out.deleted.size()), "event", "events") + " deleted, " +
                       std::to_string(out.refused.size()) + " kept. Publish to remove them from the public programme.");
  d.set("deleted", !out.deleted.empty());
  return console_page(site_, user, out.refused.empty() ? 200 : 409, "Delete events", "events", "admin_bulk_result", d);
}

Response EventsConsole::form(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  Event e;
  const bool is_new = key.empty();
  if (is_new) {
    e.status = EventStatus::draft;
    e.time_zone = site_.get().time_zone;
    if (e.time_zone.empty()) e.time_zone = most_common_zone(events_.time_zone_counts());
    e.starts_at = e.ends_at = clock_.now() - clock_.now() % 3600 + 7 * 86400;
  } else {
    auto found = events_.find_event(key);
    if (!found) return console_error(site_, user, 404, "No such event", "No event has the key '" + key + "'.", "/admin/events");
    e = *found;
  }
  TemplateData d = console_data(user);
  const bool editable = user.can(Capability::content, true);
  d.set("key", e.key);
  d.set("is_new", is_new);
  d.set("version", std::to_string(e.version));
  d.set("editable", editable);
  d.set("title_text", is_new ? std::string("New event") : e.title);
  d.set("fields", form_fields(e, nullptr, {}, nullptr, editable));
  set_text(d, "conflict", "");
  set_text(d, "source", e.source_file.empty() ? "" : e.source_file + " (" + e.source_record + ")");
  return console_page(site_, user, 200, is_new ? "New event" : e.title, "events", "admin_event_form", d,
                      req.param("notice"));
}

Response EventsConsole::save(const Request& req, const std::string& key) {
  const ConsoleUser user = console_user(req);
  auto f = parse_form(req.body);
  const auto typed = typed_values(f);
  FieldEdit edit = moves_.edit(key, to_int(f["version"], -1), ordered_changes(typed), req.actor);
  if (edit.result == FieldEdit::Result::not_found)
    return console_error(site_, user, 404, "No such event", "No event has the key '" + key + "'.", "/admin/events");
  if (edit.result == FieldEdit::Result::saved || edit.result == FieldEdit::Result::unchanged)
    return see_other("/admin/events/" + key + "?notice=saved");
  TemplateData d = console_data(user);
  const bool conflict = edit.result == FieldEdit::Result::conflict;
  d.set("key", key);
  d.set("is_new", false);
  // After a conflict the form carries THEIR version: saving again overwrites knowingly.
  d.set("version", std::to_string(conflict ? edit.event.version : to_int(f["version"], -1)));
  d.set("editable", true);
  d.set("title_text", typed.at("title"));
  d.set("fields", form_fields(edit.event, &typed, edit.errors, conflict ? &edit.event : nullptr, true));
  set_text(d, "conflict", conflict ? "Someone else changed this event while you were editing (now version " +
                                         std::to_string(edit.event.version) +
                                         "). Their values are shown under each field that differs; your values are "
                                         "still in the form. Save again to keep yours."
                                   : "");
  set_text(d, "source", "");
  return console_page(site_, user, conflict ? 409 : 422, typed.at("title"), "events", "admin_event_form", d);
}

Response EventsConsole::create(const Request& req) {
  const ConsoleUser user = console_user(req);
  auto f = parse_form(req.body);
  const auto typed = typed_values(f);
  const EventCreate made = moves_.create(ordered_changes(typed), f["key"], "UTC", req.actor);
  if (made.created) return see_other("/admin/events/" + made.event.key + "?notice=created");
  const Event& e = made.event;
  const auto& errors = made.errors;
  TemplateData d = console_data(user);
  d.set("key", trim(f["key"]).empty() ? e.key : trim(f["key"]));
  d.set("is_new", true);
  d.set("version", "0");
  d.set("editable", true);
  d.set("title_text", std::string("New event"));
  d.set("fields", form_fields(e, &typed, errors, nullptr, true));
  std::string key_error;
  for (const auto& i : errors)
    if (i.field == "key") key_error = i.message;
  set_text(d, "key_error", key_error);
  set_text(d, "conflict", "");
  set_text(d, "source", "");
  return console_page(site_, user, 422, "New event", "events", "admin_event_form", d);
}

Response EventsConsole::export_csv(const Request&) {
  Response r = private_html(200, export_events_csv(events_.list_events()));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"events.csv\"");
  return r;
}

}  // namespace marquee
