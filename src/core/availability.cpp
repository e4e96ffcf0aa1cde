#include "core/availability.hpp"

#include "core/admission.hpp"

namespace marquee {

Places places_for(const Event& e, std::optional<std::int64_t> confirmed, UnixSeconds now) {
  Places p;
  p.capacity = e.capacity.value_or(0);
  if (!e.registration) return p;
  if (!registration_open(e, now)) {
    p.state = PlacesState::closed;
    return p;
  }
  if (!e.capacity) {
    p.state = PlacesState::open;
    return p;
  }
  const std::int64_t left = *e.capacity - confirmed.value_or(0);
  if (left > 0) {
    p.state = PlacesState::places_left;
    p.left = left;
  } else {
    p.state = e.waitlist ? PlacesState::full_waitlist : PlacesState::full;
  }
  return p;
}

std::string_view to_string(PlacesState s) {
  switch (s) {
    case PlacesState::no_registration: return "no_registration";
    case PlacesState::closed: return "closed";
    case PlacesState::open: return "open";
    case PlacesState::places_left: return "places_left";
    case PlacesState::full_waitlist: return "full_waitlist";
    case PlacesState::full: return "full";
  }
  return "closed";
}

std::string places_text(const Places& p) {
  switch (p.state) {
    case PlacesState::no_registration:
      return p.capacity > 0 ? "No registration needed (room for " + std::to_string(p.capacity) + ")" : "";
    case PlacesState::closed: return "Registration is closed";
    case PlacesState::open: return "Registration is open";
    case PlacesState::places_left: return std::to_string(p.left) + (p.left == 1 ? " place left" : " places left");
    case PlacesState::full_waitlist: return "Full – join the waiting list";
    case PlacesState::full: return "Full – no places left";
  }
  return "";
}

std::string register_label(const Places& p) {
  switch (p.state) {
    case PlacesState::open:
    case PlacesState::places_left: return "Register";
    case PlacesState::full_waitlist: return "Join the waiting list";
    default: return "";
  }
}

}  // namespace marquee
