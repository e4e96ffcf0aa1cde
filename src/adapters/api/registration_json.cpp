#include "adapters/api/registration_json.hpp"

#include <boost/json/parse.hpp>

#include "core/time_zone.hpp"

namespace marquee {

std::string read_registration_body(const std::string& body, RegistrationInput* in) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return "the body is not valid JSON: " + ec.message();
  if (!v.is_object()) return "the body must be a JSON object with name, email and answers";
  const auto& o = v.as_object();
  auto str = [&](const char* name, std::string* out) -> std::string {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) return "";
    if (!it->value().is_string()) return std::string(name) + " must be a string";
    *out = std::string(it->value().as_string());
    return "";
  };
  if (auto e = str("name", &in->name); !e.empty()) return e;
  if (auto e = str("email", &in->email); !e.empty()) return e;
  if (auto it = o.find("answers"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_object()) return "answers must be an object of question id to answer";
    for (const auto& [k, a] : it->value().as_object()) {
      std::string value;
      if (a.is_string()) value = std::string(a.as_string());
      else if (a.is_bool()) value = a.as_bool() ? "yes" : "no";
      else if (a.is_int64()) value = std::to_string(a.as_int64());
      else if (!a.is_null()) return "answers." + std::string(k) + " must be a string, a boolean or a number";
      in->answers.emplace_back(std::string(k), value);
    }
  }
  return "";
}


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
