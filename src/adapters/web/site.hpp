#pragma once
// The public site and JSON API over the current programme. Pre-renders the
// common responses once per programme and swaps them atomically; a request
// never touches the database.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "adapters/web/pages.hpp"
#include "adapters/web/representation.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/visit_counter.hpp"
#include "app/placement_board.hpp"
#include "core/placement_selection.hpp"
#include "core/programme.hpp"
#include "ports/clock.hpp"

namespace marquee {

class Site {
 public:
  explicit Site(SiteRef info);

  /// Makes `programme` current, with nothing rendered yet: each page and
  /// document is rendered on its first request and kept for this programme.
  /// Called by ProgrammeCache on each swap.
  void install(const ProgrammePtr& programme);

  /// Adds the public read routes (none blocking): GET /, /events/{key},
  /// /api/v1/events, /api/v1/events/{key}, /api/v1/availability, /api/v1/openapi.json,
  /// /static/{file}, /healthz. Errors are RFC 9457 problem+json under /api,
  /// HTML pages elsewhere.
  void add_routes(Router& router);

  /// Where event pages learn how many places are taken (e.g. an
  /// AvailabilityBoard, never a store query) and the time. Without it they
  /// say "Registration is open" and never give a number.
  using ConfirmedCount = std::function<std::optional<std::int64_t>(const std::string& event_key)>;
  void set_availability(ConfirmedCount confirmed, const Clock* clock);

  /// Where views of event pages and documents and discovery searches are
  /// counted (analytics); null: not counted. `counter` must outlive this.
  void set_visit_counter(const VisitCounter* counter) { counter_ = counter; }

  /// Where the partner placements to show come from (issue 17) and how one
  /// viewer is told apart for their rotation: `viewer` gives a key stable
  /// for one visitor within a day (the analytics visitor id), "" when the
  /// visitor cannot be told apart (then the day alone decides). Null board:
  /// no placements. Both must outlive this.
  using ViewerKey = std::function<std::string(const Request&)>;
  void set_placements(const PlacementBoard* board, ViewerKey viewer);

  /// GET /promoted/{id}: counts the click on a placement that shows and
  /// answers 302 to its event's page (404 for any other id).
  Response promoted_click(const Request& req, const std::string& id) const;

  /// A public (published or cancelled) event of the current programme.
  std::optional<Event> find_event(const std::string& key) const;

 private:
  struct Rendered;
  struct PlacementView;
  std::shared_ptr<const Rendered> rendered() const { return std::atomic_load(&rendered_); }
  // The placements showing now for the programme of `cur`, rebuilt when the
  // board, the programme or the instant moved past its validity; null when
  // none shows (the pages are then exactly those without placements).
  std::shared_ptr<const PlacementView> placements_now(const std::shared_ptr<const Rendered>& cur, UnixSeconds now) const;
  std::string viewer_key(const Request& req, UnixSeconds now) const;
  void count_impressions(const Request& req, const PlacementView& view, const PlacementPick& pick) const;
  UnixSeconds now() const;

  Response home(const Request& req) const;
  Response event_page(const Request& req, const std::string& key) const;
  Response events_api(const Request& req) const;
  /// Whether `req` asks for the whole event list and it is not rendered yet
  /// for the current programme (its first request then runs on the worker pool).
  bool events_list_pending(const Request& req) const;
  /// Whether `req` is a search without `limit` (every match, made per request)
  /// in a programme of 2,000 events or more: it then runs on the bulk pool.
  bool events_search_is_long(const Request& req) const;
  Response event_api(const Request& req, const std::string& key) const;
  // GET /api/v1/availability[?event=KEY]: places of one event (from the
  // board, per request) or of every event that takes registrations (built at
  // most every kAvailabilityAge seconds by one request; others meanwhile get
  // the answer before). {"as_of", "generation", "events": {key: {...}}}; 404
  // problem for an unknown event.
  Response availability_api(const Request& req) const;
  Response html_error(int status, const std::string& title, const std::string& detail) const;
  Representation render_event_html(const Programme& programme, const ProgrammeEntry& entry, const Places& places) const;
  Places places_of(const Event& e) const;
  Representation render_event_json(const ProgrammeEntry& entry, std::int64_t generation) const;


  // Counts `s` for a request answered with `r` (2xx or 304 only); returns `r`.
  Response counted(const Request& req, Response r, Signal s) const;

  SiteRef info_;
  const VisitCounter* counter_ = nullptr;
  ConfirmedCount confirmed_;
  const Clock* clock_ = nullptr;
  std::unordered_map<std::string, Representation> static_files_;
  std::shared_ptr<const Rendered> rendered_;
  const PlacementBoard* board_ = nullptr;
  ViewerKey viewer_;
  mutable std::mutex availability_mutex_;
  mutable std::shared_ptr<const Representation> availability_;
  mutable ProgrammePtr availability_programme_;
  mutable UnixSeconds availability_at_ = 0;
  mutable std::mutex view_mutex_;
  mutable std::shared_ptr<const PlacementView> view_;
};

}  // namespace marquee
