#pragma once
// One way to make an event in a test: an_event("key") is a published-by-default
// timed event (11 January 2027 08:00–09:00 UTC, 09:00–10:00 in
// Europe/Berlin) that each test shapes with the setters it cares about.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/event.hpp"

namespace marquee::testing {

class EventBuilder {
 public:
  explicit EventBuilder(std::string key) {
    e_.key = std::move(key);
    e_.title = "Event " + e_.key;
    e_.starts_at = 1800000000;
    e_.ends_at = 1800003600;
    e_.time_zone = "Europe/Berlin";
  }
  EventBuilder& title(std::string t) { e_.title = std::move(t); return *this; }
  /// Starts at `start` (UTC seconds) and lasts `seconds`.
  EventBuilder& at(UnixSeconds start, std::int64_t seconds = 3600) {
    e_.starts_at = start;
    e_.ends_at = start + seconds;
    return *this;
  }
  EventBuilder& zone(std::string z) { e_.time_zone = std::move(z); return *this; }
  EventBuilder& venue(std::string v) { e_.venue = std::move(v); return *this; }
  EventBuilder& category(std::string c) { e_.category = std::move(c); return *this; }
  EventBuilder& tags(std::vector<std::string> t) { e_.tags = std::move(t); return *this; }
  EventBuilder& status(EventStatus s) { e_.status = s; return *this; }
  /// Takes registrations, with `capacity` places (nullopt: unlimited) and a waiting list or not.
  EventBuilder& registration(std::optional<std::int64_t> capacity, bool waitlist = false) {
    e_.registration = true;
    e_.capacity = capacity;
    e_.waitlist = waitlist;
    return *this;
  }
  EventBuilder& questions(std::vector<Question> q) { e_.questions = std::move(q); return *this; }
  operator Event() const { return e_; }  // NOLINT: a builder reads as the event it builds
  Event build() const { return e_; }

 private:
  Event e_;
};

inline EventBuilder an_event(std::string key) { return EventBuilder(std::move(key)); }

}  // namespace marquee::testing
