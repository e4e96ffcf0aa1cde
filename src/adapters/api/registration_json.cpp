#include "adapters/api/registration_json.hpp"

#include "core/time_zone.hpp"

namespace marquee {

boost::json::object offer_json(const PlaceOffer& o) {
  boost::json::object j{{"id", o.id},
                        {"registration_id", o.registration_id},
                        {"state", std::string(to_string(o.state))},
                        {"offered_at", format_utc(o.offered_at)},
                        {"expires_at", format_utc(o.expires_at)},
                        {"actor", o.actor}};
  if (o.answered_at) j["answered_at"] = format_utc(*o.answered_at);
  else j["answered_at"] = nullptr;
  return j;
}

boost::json::object registration_json(const Registration& r) {
  auto instant = [](const std::optional<UnixSeconds>& t) -> boost::json::value {
    if (!t) return nullptr;
    return boost::json::value(format_utc(*t));
  };
  boost::json::object answers;
  for (const auto& [k, v] : r.answers) answers[k] = v;
  boost::json::array moves;
  for (const auto& m : r.moves) {
    boost::json::object o;
    if (m.from) o["from"] = std::string(to_string(*m.from));
    else o["from"] = nullptr;
    o["to"] = std::string(to_string(m.to));
    o["at"] = format_utc(m.at);
    o["actor"] = m.actor;
    moves.push_back(std::move(o));
  }
  boost::json::object o;
  o["id"] = r.id;
  o["event_key"] = r.event_key;
  o["state"] = std::string(to_string(r.state));
  o["name"] = r.name;
  o["email"] = r.email;
  o["answers"] = std::move(answers);
  o["ticket_code"] = r.ticket_code;
  o["created_at"] = format_utc(r.created_at);
  o["checked_in_at"] = instant(r.checked_in_at);
  o["erased_at"] = instant(r.erased_at);
  o["moves"] = std::move(moves);
  return o;
}

boost::json::object registration_links(const std::string& token) {
  return boost::json::object{{"self", "/api/v1/registrations/" + token},
                             {"page", "/r/" + token},
                             {"ticket", "/r/" + token + "/ticket.svg"},
                             {"ics", "/r/" + token + "/event.ics"},
                             {"cancel", "/api/v1/registrations/" + token + "/cancel"}};
}

}  // namespace marquee
