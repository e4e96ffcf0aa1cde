#pragma once
// The operators' event editing API over the working state, with optimistic
// concurrency: every event has a version, sent as a strong ETag ("v7");
// PATCH requires If-Match and answers 412 with the other change when the
// version moved (RFC 9110 §13.1.1).
#include "adapters/http/router.hpp"
#include "ports/clock.hpp"
#include "app/event_moves.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

class AdminEventsApi {
 public:
  /// `events`: what GET reads; `moves`: PATCH goes through EventMoves::save (one edit path, audited).
  AdminEventsApi(EventReader& events, EventMoves& moves);

  /// GET   /api/v1/admin/events          staff (view): the working state, with versions and warnings
  /// GET   /api/v1/admin/events/{key}    staff (view): one event, ETag = its version
  /// PATCH /api/v1/admin/events/{key}    staff (content): JSON with the fields to change; If-Match required
  ///   (428 without, 412 with the current event when stale), 422 naming invalid fields, 200 with the new ETag.
  void add_routes(Router& router);

 private:
  Response list();
  Response get(const Request& req, const std::string& key);
  Response patch(const Request& req, const std::string& key);

  EventReader& events_;
  EventMoves& moves_;
};

}  // namespace marquee
