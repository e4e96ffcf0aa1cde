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
  CheckinListsApi(CheckinService& service, CheckinStore& lists, EventReader& events)
      : service_(service), lists_(lists), events_(events) {}

  /// GET  /api/v1/checkin-lists               staff (check_in): the lists the caller may scan at
  ///   (CheckinService::lists_for: a door user assigned to lists sees only those)
  /// POST /api/v1/checkin-lists               staff (operate): {name, events?: [keys], venue?, day?: "YYYY-MM-DD",
  ///   allow_reentry?, opens_at?, closes_at?, room_capacity?, alarm_percent?, door_users?: [e-mail]} → 201 the list
  /// PUT  /api/v1/checkin-lists/{id}          staff (operate): the same body → 200 the list as changed
  /// GET  /api/v1/checkin-lists/{id}/tickets  staff (check_in): the tickets of the list's events for offline
  ///   checks, {"list", "tickets": [{code, name, event_key, state, inside}], "events": [{key, title, venue, starts_at}],
  ///   "ticket_key": the Ed25519 public key of signed ticket QR codes, base64url}
  /// POST /api/v1/checkin-lists/{id}/scans    staff (check_in): {"scans": [{device, scan_id, code, direction?:
  ///   "entry"|"exit", at?: RFC 3339, offline?: bool}]} (1–500) → 200 {"results": [{device, scan_id, outcome:
  ///   "admitted"|"exited"|"refused"|"duplicate", reason, replayed, flagged, attendee, event_key, presence}]}
  /// GET  /api/v1/checkin-lists/{id}/status   staff (check_in): {inside, entries, exits, duplicates,
  ///   venues: [{venue, inside}], room_capacity, alarm_percent, alarm}
  /// Errors are RFC 9457 problem+json: 400 malformed JSON, 403 a list the door user is not assigned to,
  /// 404 unknown list, 422 field errors.
  void add_routes(Router& router);

 private:
  Response create(const Request& req);
  Response update(const Request& req, const std::string& id);
  Response tickets(const Request& req, const std::string& id);
  Response scans(const Request& req, const std::string& id);
  Response status(const Request& req, const std::string& id);

  CheckinService& service_;
  CheckinStore& lists_;
  EventReader& events_;
};

}  // namespace marquee
