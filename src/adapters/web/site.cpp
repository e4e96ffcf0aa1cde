#include "adapters/web/site.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <ctime>
#include <mutex>

#include "adapters/render/event_json.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "adapters/http/query_params.hpp"
#include "adapters/assets/embedded.hpp"

namespace marquee {

namespace {
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kJson = "application/json";
constexpr std::size_t kResultsPerPage = 50;  // search results per page
constexpr const char* kPublicCache = "public, max-age=30, stale-while-revalidate=60";
// Pages with partner placements differ per viewer: no shared cache keeps one
// viewer's rotation for everyone (and impressions are counted as served).
constexpr const char* kViewerCache = "private, max-age=30";
// Page variants kept per set of showing placements (days × rotations); beyond
// this, further variants are rendered per request.
constexpr std::size_t kMaxPageVariants = 512;
// From this many events the full event list (/api/v1/events without a filter) is made in
// pieces and kept only compressed (make_representation_in_pieces): about 1.2 MB of JSON
// here, 62 MB at 100,000 events, which held whole with its document peaked at 418 MiB.
constexpr std::size_t kListInPiecesFrom = 2000;
constexpr std::size_t kSuggestions = 4;  // of each kind on an event page
// How long one answer of /api/v1/availability is kept: about the board's own refresh.
constexpr UnixSeconds kAvailabilityAge = 2;

}  // namespace

struct Site::Rendered {
  ProgrammePtr programme;
  RenderOnce events_json;  // the whole list: rendered on its first request (issue 22)
  LazyCache day_html;  // the programme page of each local day
  // Event pages and documents: rendered when first asked for, then kept for
  // this snapshot. Rendering them all at install (as up to 2,000 events
  // once were) held a new snapshot back: 1,000 events were served 2.7–3.0 s
  // after their publish, 10,000 (rendered lazily) after 0.7 s
  // (bench/publish.sh); now 0.18–0.22 s.
  LazyCache event_html, event_json;
  // Pages of events that take registrations: one per event, re-rendered when
  // what the places line says changes (so the cache never grows with it).
  struct LiveSlot {
    Places places;
    Representation html;
  };
  mutable std::mutex live_mutex;
  mutable std::unordered_map<std::string, LiveSlot> live_event_html;
};

struct Site::PlacementView {
  ProgrammePtr programme;
  std::int64_t version = 0;
  UnixSeconds made_at = 0;
  ActivePlacements active;
  std::map<std::string, PromotedMark> marks;  // event key → its placement, for the JSON list
  std::unordered_map<std::int64_t, Signal> impressions;  // placement id → its impression signal, clean
  RenderOnce events_json;  // the whole list with the marks: rendered on its first request
  LazyCache day_html;  // "day|first upcoming day|pick signature"
};

namespace {

std::map<std::string, PromotedMark> marks_of(const ActivePlacements& active) {
  std::map<std::string, PromotedMark> out;
  for (const auto* slot : {&active.featured, &active.promoted, &active.category_top})
    for (const auto& s : *slot)
      out.emplace(s.placement.event_key, PromotedMark{std::string(to_string(s.placement.slot)), s.partner});
  return out;
}

PromotedCard card_of(const ShowingPlacement& s) {
  return PromotedCard{s.entry, s.partner, "/promoted/" + std::to_string(s.placement.id)};
}

}  // namespace

Site::Site(SiteRef info) : info_(std::move(info)) {
  for (auto name : embedded_asset_names()) {
    if (!name.starts_with("static/")) continue;
    const std::string file(name.substr(7));
    const char* type = file.ends_with(".css") ? "text/css; charset=utf-8"
                       : file.ends_with(".svg") ? "image/svg+xml"
                       : file.ends_with(".js") ? "text/javascript; charset=utf-8"
                       : file.ends_with(".png") ? "image/png"
                                               : "application/octet-stream";
    static_files_.emplace(file, make_representation(std::string(embedded_asset(name)), type, "public, max-age=3600"));
  }
  static_files_.emplace("openapi.json", make_representation(std::string(embedded_asset("docs/openapi.json")),
                                                            "application/json", "public, max-age=300"));
}

std::optional<Event> Site::find_event(const std::string& key) const {
  auto cur = rendered();
  if (!cur) return std::nullopt;
  const ProgrammeEntry* e = cur->programme->find(key);
  if (!e) return std::nullopt;
  return e->event;
}

void Site::add_routes(Router& router_) {
  router_.add({"GET", "/", Access::public_access, [this](const Request& r, const PathParams&) { return home(r); }});
  router_.add({"GET", "/events/{key}", Access::public_access,
               [this](const Request& r, const PathParams& p) { return event_page(r, p.at("key")); }});
  Route events_list{"GET", "/api/v1/events", Access::public_access,
                    [this](const Request& r, const PathParams&) { return events_api(r); }};
  events_list.blocking_when = [this](const Request& r) { return events_list_pending(r); };
  events_list.bulk_when = [this](const Request& r) { return events_search_is_long(r); };
  router_.add(std::move(events_list));
  router_.add({"GET", "/api/v1/events/{key}", Access::public_access,
               [this](const Request& r, const PathParams& p) { return event_api(r, p.at("key")); }});
  router_.add({"GET", "/api/v1/availability", Access::public_access,
               [this](const Request& r, const PathParams&) { return availability_api(r); }});
  router_.add({"GET", "/promoted/{id}", Access::public_access,
               [this](const Request& r, const PathParams& p) { return promoted_click(r, p.at("id")); }});
  router_.add({"GET", "/api/v1/openapi.json", Access::public_access,
               [this](const Request& r, const PathParams&) { return respond_with(static_files_.at("openapi.json"), r); }});
  router_.add({"GET", "/static/{file}", Access::public_access, [this](const Request& r, const PathParams& p) {
                 auto it = static_files_.find(p.at("file"));
                 if (it == static_files_.end()) return html_error(404, "Not found", "There is no such file.");
                 return respond_with(it->second, r);
               }});
  router_.add({"GET", "/healthz", Access::public_access, [this](const Request&, const PathParams&) {
                 Response r;
                 auto cur = rendered();
                 r.status = cur ? 200 : 503;
                 r.body = std::make_shared<const std::string>(cur ? "ok\n" : "starting\n");
                 r.headers.emplace_back("Cache-Control", "no-store");
                 return r;
               }});
}

void Site::install(const ProgrammePtr& programme) {
  auto next = std::make_shared<Rendered>();
  next->programme = programme;
  std::atomic_store(&rendered_, std::shared_ptr<const Rendered>(std::move(next)));
}

Representation Site::render_event_html(const Programme& programme, const ProgrammeEntry& entry,
                                       const Places& places) const {
  const EventSuggestions suggestions = suggest_events(programme, entry, kSuggestions);
  // Places change with every registration: browsers and proxies keep such a page briefly.
  return make_representation(event_page_html(info_, entry, places, &suggestions), kHtml,
                             entry.event.registration ? "public, max-age=5" : kPublicCache);
}

void Site::set_availability(ConfirmedCount confirmed, const Clock* clock) {
  confirmed_ = std::move(confirmed);
  clock_ = clock;
}

Places Site::places_of(const Event& e) const {
  const bool countable = e.registration && confirmed_ && clock_;
  const auto confirmed = countable ? confirmed_(e.key) : std::nullopt;
  Places p = places_for(e, confirmed, clock_ ? clock_->now() : 0);
  // Not counted (no board, or the store was down at start): never a number.
  if (!confirmed && p.state == PlacesState::places_left) p = Places{PlacesState::open, 0, p.capacity};
  return p;
}

Representation Site::render_event_json(const ProgrammeEntry& entry, std::int64_t generation) const {
  return make_representation(event_document_json(entry, generation), kJson, kPublicCache);
}

Response Site::html_error(int status, const std::string& title, const std::string& detail) const {
  Response r;
  r.status = status;
  r.content_type = kHtml;
  r.body = std::make_shared<const std::string>(error_page_html(info_, status, title, detail));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}


void Site::set_placements(const PlacementBoard* board, ViewerKey viewer) {
  board_ = board;
  viewer_ = std::move(viewer);
}

UnixSeconds Site::now() const { return clock_ ? clock_->now() : static_cast<UnixSeconds>(std::time(nullptr)); }

std::shared_ptr<const Site::PlacementView> Site::placements_now(const std::shared_ptr<const Rendered>& cur,
                                                                UnixSeconds now) const {
  if (!board_) return nullptr;
  const std::int64_t version = board_->version();
  auto fresh = [&](const std::shared_ptr<const PlacementView>& v) {
    return v && v->programme == cur->programme && v->version == version && now >= v->made_at &&
           now < v->active.valid_until;
  };
  auto view = std::atomic_load(&view_);
  if (!fresh(view)) {
    std::lock_guard lock(view_mutex_);
    view = std::atomic_load(&view_);
    if (!fresh(view)) {
      const auto set = board_->current();
      auto next = std::make_shared<PlacementView>();
      next->programme = cur->programme;
      next->version = set->version;
      next->made_at = now;
      next->active = active_placements(*set, *cur->programme, now);
      next->marks = marks_of(next->active);
      for (const auto* slot : {&next->active.featured, &next->active.promoted, &next->active.category_top})
        for (const auto& sp : *slot)
          next->impressions.emplace(sp.placement.id,
                                    clean_signal(Signal{SignalKind::impression, sp.placement.event_key,
                                                        std::to_string(sp.placement.id),
                                                        std::string(to_string(sp.placement.slot)), "", "", 0, ""}));
      view = std::shared_ptr<const PlacementView>(std::move(next));
      std::atomic_store(&view_, view);
    }
  }
  return view->active.empty() ? nullptr : view;
}

std::string Site::viewer_key(const Request& req, UnixSeconds now) const {
  std::string key = viewer_ ? viewer_(req) : std::string();
  // Unknown viewers share the day's rotation.
  return key.empty() ? "day " + format_utc(now).substr(0, 10) : key;
}

void Site::count_impressions(const Request& req, const PlacementView& view, const PlacementPick& pick) const {
  if (!counter_) return;
  std::vector<const Signal*> shown;
  for (const auto* list : {&pick.featured, &pick.promoted})
    for (const ShowingPlacement* s : *list) shown.push_back(&view.impressions.at(s->placement.id));
  counter_->count_unidentified(req, shown);
}

Response Site::promoted_click(const Request& req, const std::string& id) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  auto view = placements_now(cur, now());
  if (view)
    for (const auto* slot : {&view->active.featured, &view->active.promoted, &view->active.category_top})
      for (const auto& s : *slot) {
        if (std::to_string(s.placement.id) != id) continue;
        Response r;
        r.status = 302;
        r.headers.emplace_back("Location", "/events/" + percent_encode(s.placement.event_key));
        r.headers.emplace_back("Cache-Control", "no-store");
        // A redirect: counted here (count_if_served counts 2xx and 304 only).
        if (counter_)
          counter_->count(req, Signal{SignalKind::click, s.placement.event_key, id,
                                      std::string(to_string(s.placement.slot)), "", "", 0, ""});
        return r;
      }
  return html_error(404, "This promotion has ended",
                    "The event it showed may still be in the programme: look for it there.");
}

Response Site::counted(const Request& req, Response r, Signal s) const {
  return count_if_served(counter_, req, std::move(r), std::move(s));
}

Response Site::home(const Request& req) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const Programme& programme = *cur->programme;
  const UnixSeconds now = this->now();
  const std::string upcoming = first_upcoming_day(programme, now);
  if (has_event_filters(req)) {
    std::string error;
    auto q = parse_event_query(req, &error);
    if (!q) return html_error(400, "Bad search", error);
    q->limit = kResultsPerPage;
    auto page = run_query(programme, *q);
    if (!page) return html_error(400, "Bad search", "This results page is not one this server made; search again.");
    ProgrammeView view;
    view.filtered = true;
    view.first_upcoming_day = upcoming;
    std::string base = "/?";
    for (const char* name : {"q", "category", "venue", "tag", "from", "to"})
      if (!req.param(name).empty()) base += std::string(name) + "=" + percent_encode(req.param(name)) + "&";
    if (page->next_cursor) view.next_href = base + "cursor=" + percent_encode(*page->next_cursor);
    if (!q->cursor.empty()) view.first_href = base.substr(0, base.size() - 1);
    // Promoted placements of matching events lead the first page of results.
    auto placements = q->cursor.empty() ? placements_now(cur, now) : nullptr;
    PlacementPick pick;
    PromotedContent promoted;
    if (placements) {
      std::vector<std::string> matching;
      for (const auto* e : page->items) matching.push_back(e->event.key);
      pick = pick_for_results(placements->active, matching, q->category, viewer_key(req, now));
      for (const auto* s : pick.promoted) promoted.promoted.push_back(card_of(*s));
    }
    Response r = on_demand(programme_page_html(info_, programme, *page, *q, view, placements ? &promoted : nullptr),
                           kHtml, req);
    if (!pick.promoted.empty())  // one viewer's pick: never kept for others by a shared cache
      for (auto& [name, value] : r.headers)
        if (name == "Cache-Control") value = kViewerCache;
    // A search counts once: its "More results" pages (with a cursor) do not.
    if (!q->cursor.empty()) return r;
    if (!pick.promoted.empty()) count_impressions(req, *placements, pick);
    return counted(req, std::move(r), VisitCounter::search_signal(req, static_cast<std::int64_t>(page->total)));
  }
  std::string day = req.param("day");
  if (day.empty()) day = upcoming;
  const auto& entries = programme.entries();
  const bool known = std::any_of(entries.begin(), entries.end(), [&](const ProgrammeEntry& e) { return e.local_date == day; });
  if (!day.empty() && !known)
    return html_error(404, "No events that day", "The programme has no events on " + day + ". Pick a day from the programme.");
  // One representation per day and per "first upcoming day" (which marks
  // past days), and with placements per pick of them.
  auto render_day = [&](const PromotedContent* promoted) {
    QueryPage page;
    for (const auto& e : entries)
      if (e.local_date == day) page.items.push_back(&e);
    page.total = page.items.size();
    ProgrammeView view;
    view.day = day;
    view.first_upcoming_day = upcoming;
    return make_representation(programme_page_html(info_, programme, page, EventQuery{}, view, promoted), kHtml,
                               promoted ? kViewerCache : kPublicCache);
  };
  auto placements = placements_now(cur, now);
  if (!placements) return respond_with(cached(cur->day_html, day + "|" + upcoming, [&] { return render_day(nullptr); }), req);
  const PlacementPick pick = pick_for_page(placements->active, viewer_key(req, now));
  PromotedContent promoted;
  for (const auto* s : pick.featured) promoted.featured.push_back(card_of(*s));
  for (const auto* s : pick.promoted) promoted.promoted.push_back(card_of(*s));
  std::string variant;
  variant.reserve(day.size() + upcoming.size() + pick.signature.size() + 2);
  variant.append(day).append(1, '|').append(upcoming).append(1, '|').append(pick.signature);
  Response r = respond_with(cached_up_to(placements->day_html, variant, kMaxPageVariants, [&] { return render_day(&promoted); }),
                            req);
  if (r.status == 200 || r.status == 304) count_impressions(req, *placements, pick);
  return r;
}

Response Site::event_page(const Request& req, const std::string& key) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const ProgrammeEntry* entry = cur->programme->find(key);
  if (!entry) return html_error(404, "Event not found", "There is no event with this address in the programme.");
  const Signal view{SignalKind::view, key, "page"};
  if (!entry->event.registration)
    return counted(req,
                   respond_with(cached(cur->event_html, key, [&] { return render_event_html(*cur->programme, *entry, places_of(entry->event)); }), req),
                   view);
  const Places places = places_of(entry->event);
  {
    std::lock_guard lock(cur->live_mutex);
    auto it = cur->live_event_html.find(key);
    if (it != cur->live_event_html.end() && it->second.places == places)
      return counted(req, respond_with(it->second.html, req), view);
  }
  Representation rep = render_event_html(*cur->programme, *entry, places);
  {
    std::lock_guard lock(cur->live_mutex);
    cur->live_event_html[key] = Rendered::LiveSlot{places, rep};
  }
  return counted(req, respond_with(rep, req), view);
}

bool Site::events_list_pending(const Request& req) const {
  if (has_event_filters(req)) return false;
  auto cur = rendered();
  if (!cur) return false;
  if (!cur->events_json.ready()) return true;
  auto view = std::atomic_load(&view_);
  return view && view->programme == cur->programme && !view->active.empty() && !view->events_json.ready();
}

bool Site::events_search_is_long(const Request& req) const {
  if (!has_event_filters(req) || !req.param("limit").empty()) return false;
  auto cur = rendered();
  return cur && cur->programme->entries().size() >= kListInPiecesFrom;
}

Response Site::events_api(const Request& req) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  if (!has_event_filters(req)) {
    auto placements = placements_now(cur, now());
    const std::map<std::string, PromotedMark> none;
    const auto& marks = placements ? placements->marks : none;
    const auto render = [&] {
      const auto page = run_query(*cur->programme, EventQuery{});
      const auto generation = cur->programme->generation();
      if (page->items.size() < kListInPiecesFrom)
        return make_representation(events_page_json(*page, generation, &marks), kJson, kPublicCache);
      return make_representation_in_pieces(events_page_json_pieces(*page, generation, &marks), kJson, kPublicCache);
    };
    return respond_with(placements ? placements->events_json.get(render) : cur->events_json.get(render), req);
  }
  std::string error;
  auto q = parse_event_query(req, &error);
  if (!q) return problem(400, "/problems/invalid-parameter", "Invalid query parameter", error, req.path);
  auto page = run_query(*cur->programme, *q);
  if (!page)
    return problem(400, "/problems/invalid-parameter", "Invalid query parameter",
                   "cursor is not one this server issued; start again without it", req.path);
  auto placements = placements_now(cur, now());
  const std::map<std::string, PromotedMark> none;
  Response r = on_demand(events_page_json(*page, cur->programme->generation(), placements ? &placements->marks : &none),
                         kJson, req);
  if (!q->cursor.empty()) return r;  // a further page of the same search
  return counted(req, std::move(r), VisitCounter::search_signal(req, static_cast<std::int64_t>(page->total)));
}

Response Site::event_api(const Request& req, const std::string& key) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const ProgrammeEntry* entry = cur->programme->find(key);
  if (!entry)
    return problem(404, "/problems/event-not-found", "Event not found", "No public event has the key '" + key + "'",
                   req.path);
  return counted(
      req, respond_with(cached(cur->event_json, key, [&] { return render_event_json(*entry, cur->programme->generation()); }), req),
      Signal{SignalKind::view, key, "json"});
}

}  // namespace marquee

namespace marquee {

namespace {

boost::json::object places_json(const Places& p, const Event& e) {
  return {{"state", to_string(p.state)},
          {"left", p.state == PlacesState::places_left ? boost::json::value(p.left) : boost::json::value(nullptr)},
          {"text", places_text(p)},
          {"register", e.status == EventStatus::published ? register_label(p) : std::string()}};
}

}  // namespace

Response Site::availability_api(const Request& req) const {
  auto cur = rendered();
  if (!cur) return programme_loading(req);
  const UnixSeconds now = this->now();
  // One event (what its page polls): answered from the board at once.
  if (const std::string key = req.param("event"); !key.empty()) {
    const ProgrammeEntry* entry = cur->programme->find(key);
    if (!entry)
      return problem(404, "/problems/event-not-found", "Event not found", "No public event has the key '" + key + "'",
                     req.path);
    boost::json::object events;
    if (entry->event.registration) events[key] = places_json(places_of(entry->event), entry->event);
    Response r = json_response(200, boost::json::object{{"as_of", format_utc(now)},
                                                         {"generation", cur->programme->generation()},
                                                         {"events", std::move(events)}});
    r.headers.emplace_back("Cache-Control", "public, max-age=2");
    return r;
  }
  // Every event: rebuilt at most every kAvailabilityAge seconds by one request while the
  // others are answered with the answer before.
  std::shared_ptr<const Representation> rep;
  {
    std::unique_lock lock(availability_mutex_, std::try_to_lock);
    const bool stale = !availability_ || availability_programme_ != cur->programme || now < availability_at_ ||
                       now - availability_at_ >= kAvailabilityAge;
    if (!lock.owns_lock() && availability_ && availability_programme_ == cur->programme) {
      rep = availability_;
    } else {
      if (!lock.owns_lock()) lock.lock();  // nothing to answer with yet: wait for the one building it
      if (stale) {
        boost::json::object events;
        for (const auto& entry : cur->programme->entries())
          if (entry.event.registration) events[entry.event.key] = places_json(places_of(entry.event), entry.event);
        availability_ = std::make_shared<const Representation>(make_representation(
            boost::json::serialize(boost::json::object{{"as_of", format_utc(now)},
                                                       {"generation", cur->programme->generation()},
                                                       {"events", std::move(events)}}),
            kJson, "public, max-age=2"));
        availability_programme_ = cur->programme;
        availability_at_ = now;
      }
      rep = availability_;
    }
  }
  return respond_with(*rep, req);
}

}  // namespace marquee
