#pragma once
// JSON routes for registrations, check-in and attendee exports.
#include <functional>
#include <optional>
#include <string>

#include "adapters/http/router.hpp"
#include "adapters/http/visit_counter.hpp"
#include "app/registration_service.hpp"
#include "app/address_limit.hpp"

namespace marquee {

class RegistrationApi {
 public:
  RegistrationApi(RegistrationService& service, EventLookup events, AddressLimit& limiter);

  /// Adds, all blocking (they call the store):
  ///   POST /api/v1/events/{key}/registrations      public, rate-limited per client address
  ///   GET  /api/v1/registrations/{token}            public (the token is the secret)
  ///   POST /api/v1/registrations/{token}/cancel     public
  ///   POST /api/v1/checkins                         staff
  ///   GET  /api/v1/events/{key}/attendees           staff (JSON, with state history)
  ///   GET  /api/v1/events/{key}/attendees.csv|.xlsx staff
  ///   GET  /api/v1/attendees.csv|.xlsx              staff (all events)
  ///   POST /api/v1/attendees/{id}/erase             staff
  void add_routes(Router& router);

  /// Where accepted registrations (confirmed or waitlisted, not replays)
  /// are counted for analytics; null: not counted. Must outlive this.
  void set_visit_counter(const VisitCounter* counter) { counter_ = counter; }

 private:
  const VisitCounter* counter_ = nullptr;
  Response register_json(const Request& req, const std::string& key);
  Response view(const Request& req, const std::string& token);
  Response cancel(const Request& req, const std::string& token);
  Response checkin(const Request& req);
  Response attendees(const Request& req, const std::string& key, const std::string& format);
  Response erase(const Request& req, const std::string& id);

  RegistrationService& service_;
  EventLookup events_;
  AddressLimit& limiter_;
};

}  // namespace marquee
