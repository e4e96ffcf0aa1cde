#include "core/no_shows.hpp"

#include <algorithm>
#include <cmath>

namespace marquee {

std::optional<double> NoShowFigures::no_show_rate() const {
  if (expected() == 0) return std::nullopt;
  return static_cast<double>(no_shows) / static_cast<double>(expected());
}

std::optional<double> NoShowFigures::show_rate() const {
  if (expected() == 0) return std::nullopt;
  return static_cast<double>(checked_in) / static_cast<double>(expected());
}

NoShowFigures& NoShowFigures::operator+=(const NoShowFigures& o) {
  events += o.events;
  registered += o.registered;
  reconfirmed += o.reconfirmed;
  released += o.released;
  cancelled += o.cancelled;
  checked_in += o.checked_in;
  no_shows += o.no_shows;
  return *this;
}

double overflow_chance(std::int64_t places, std::int64_t room, double show_rate) {
  if (places <= room || room < 0) return places > room ? 1.0 : 0.0;
  const double p = std::clamp(show_rate, 0.0, 1.0);
  if (p == 0.0) return 0.0;
  if (p == 1.0) return 1.0;
  // Sum the probability mass of k = room+1 .. places in log space (lgamma),
  // which neither overflows nor underflows for large n.
  const double n = static_cast<double>(places), lp = std::log(p), lq = std::log1p(-p);
  const double lfn = std::lgamma(n + 1);
  double sum = 0;
  for (std::int64_t k = room + 1; k <= places; ++k) {
    const double kd = static_cast<double>(k);
    sum += std::exp(lfn - std::lgamma(kd + 1) - std::lgamma(n - kd + 1) + kd * lp + (n - kd) * lq);
  }
  return std::clamp(sum, 0.0, 1.0);
}

std::optional<OverbookingRisk> overbooking_risk(std::int64_t room, std::int64_t places, const NoShowFigures& history) {
  const auto rate = history.show_rate();
  if (!rate || history.expected() < kMinRiskHistory) return std::nullopt;
  OverbookingRisk r;
  r.room = room;
  r.places = places;
  r.show_rate = *rate;
  r.history_events = history.events;
  r.history_expected = history.expected();
  r.expected_turnout = std::llround(static_cast<double>(places) * *rate);
  r.overflow_chance = overflow_chance(places, room, *rate);
  return r;
}

}  // namespace marquee
