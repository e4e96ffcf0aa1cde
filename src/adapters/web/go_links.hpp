#pragma once
// Counted outbound links of the event page (issue 16): GET /go/{key} answers
// 302 to that event's own "More information" URL, GET /go/{key}/google and
// /go/{key}/outlook to its add-to-calendar page at Google Calendar or
// Outlook.com. Every target is computed from the event in the programme
// being served, never from the request, so none of them is an open redirect.
#include "adapters/http/router.hpp"
#include "adapters/http/visit_counter.hpp"
#include "adapters/web/pages.hpp"

namespace marquee {

class GoLinks {
 public:
  /// `events`: a public event of the programme being served, by key.
  using EventLookup = std::function<std::optional<Event>(const std::string& key)>;
  /// `counter` may be null (not counted); it and `site` must outlive this.
  GoLinks(SiteRef site, EventLookup events, const VisitCounter* counter);

  /// GET /go/{key} (outbound_click; 404 page when the event is unknown or
  /// has no http(s) URL), GET /go/{key}/google and /go/{key}/outlook
  /// (calendar_save "google"/"outlook"; 404 for an unknown event). Each
  /// 302 answer is "Cache-Control: no-store", so every click is counted.
  void add_routes(Router& router);

 private:
  /// 302 to `target` (Cache-Control: no-store); a 404 page when it holds spaces or control characters.
  Response redirect(const std::string& target) const;
  Response not_found(const std::string& detail) const;
  // Counts `s` when `r` is the redirect (302); returns `r`.
  Response counted(const Request& req, Response r, Signal s) const;

  SiteRef site_;
  EventLookup events_;
  const VisitCounter* counter_;
};

}  // namespace marquee
