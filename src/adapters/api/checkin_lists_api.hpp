#pragma once
// The staff API of door operations (issue 19; docs/openapi.json). Lists are
// made through app/checkins (one audited transaction); scans are recorded in
// one transaction per batch, idempotent per device and scan id. Instants are
// RFC 3339 (UTC out; with an offset or "Z" in).
#include "adapters/http/router.hpp"
#include "app/checkins.hpp"
#include "ports/checkin_store.hpp"

namespace marquee {

class CheckinListsApi {
 public:
  CheckinListsApi(CheckinService& service, CheckinStore& lists) : service_(service), lists_(lists) {}

  /// GET  /api/v1/checkin-lists               staff (check_in): every list
  /// POST /api/v1/checkin-lists               staff (operate): {name, events?: [keys], venue?, day?: "YYYY-MM-DD",
  ///   allow_reentry?, opens_at?, closes_at?, room_capacity?, alarm_percent?} → 201 the list
  /// POST /api/v1/checkin-lists/{id}/scans    staff (check_in): {"scans": [{device, scan_id, code, direction?:
  ///   "entry"|"exit", at?: RFC 3339, offline?: bool}]} (1–500) → 200 {"results": [{device, scan_id, outcome:
  ///   "admitted"|"exited"|"refused"|"duplicate", reason, replayed, flagged, attendee, event_key, presence}]}
  /// GET  /api/v1/checkin-lists/{id}/status   staff (check_in): {inside, entries, exits, duplicates,
  ///   venues: [{venue, inside}], room_capacity, alarm_percent, alarm}
  /// Errors are RFC 9457 problem+json: 400 malformed JSON, 404 unknown list, 422 field errors.
  void add_routes(Router& router);

 private:
  Response create(const Request& req);
  Response scans(const Request& req, const std::string& id);
  Response status(const Request& req, const std::string& id);

  CheckinService& service_;
  CheckinStore& lists_;
};

}  // namespace marquee
