#include "adapters/api/messages_api.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

#include "adapters/http/json_response.hpp"
#include "adapters/http/problem.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

const char* kShape =
    "Send {\"events\": [\"key\"], \"states\": [\"confirmed\"], \"answers\": [{\"question\": \"id\", \"value\": \"…\"}], "
    "\"subject\": \"…\", \"body\": \"…\", \"send_at\": null}.";

boost::json::object message_json(const AttendeeMessage& m) {
  boost::json::array events, states, answers;
  for (const auto& k : m.audience.event_keys) events.emplace_back(k);
  for (auto s : m.audience.states) states.emplace_back(std::string(to_string(s)));
  for (const auto& [q, v] : m.audience.answers) answers.push_back(boost::json::object{{"question", q}, {"value", v}});
  boost::json::object j{{"id", m.id},
                        {"subject", m.subject},
                        {"body", m.body},
                        {"events", std::move(events)},
                        {"states", std::move(states)},
                        {"answers", std::move(answers)},
                        {"state", std::string(to_string(m.state))},
                        {"send_at", format_utc(m.send_at)},
                        {"created_by", m.created_by},
                        {"created_at", format_utc(m.created_at)}};
  j["recipients"] = m.recipients ? boost::json::value(*m.recipients) : boost::json::value(nullptr);
  j["sent_at"] = m.sent_at ? boost::json::value(format_utc(*m.sent_at)) : boost::json::value(nullptr);
  return j;
}

// The draft in `body`, or the reason it is not one.
std::optional<MessageDraft> parse_draft(const std::string& body, std::string* email, std::string* why) {
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  if (ec || !json.is_object()) {
    *why = kShape;
    return std::nullopt;
  }
  const auto& o = json.as_object();
  MessageDraft d;
  auto text = [&](const char* name, std::string& out) {
    if (auto it = o.find(name); it != o.end() && !it->value().is_null()) {
      if (!it->value().is_string()) return false;
      out = std::string(it->value().as_string());
    }
    return true;
  };
  auto strings = [&](const char* name, std::vector<std::string>& out) {
    if (auto it = o.find(name); it != o.end()) {
      if (!it->value().is_array()) return false;
      for (const auto& v : it->value().as_array()) {
        if (!v.is_string()) return false;
        out.emplace_back(v.as_string());
      }
    }
    return true;
  };
  std::vector<std::string> states;
  bool ok = text("subject", d.subject) && text("body", d.body) && text("send_at", d.send_at) &&
            strings("events", d.event_keys) && strings("states", states) && (!email || text("email", *email));
  if (o.contains("states")) {
    d.states.clear();
    for (const auto& s : states) d.states += (d.states.empty() ? "" : ", ") + s;
  }
  if (auto it = o.find("answers"); ok && it != o.end()) {
    if (!it->value().is_array()) ok = false;
    else
      for (const auto& a : it->value().as_array()) {
        const auto* q = a.is_object() ? a.as_object().if_contains("question") : nullptr;
        const auto* v = a.is_object() ? a.as_object().if_contains("value") : nullptr;
        if (!q || !v || !q->is_string() || !v->is_string()) {
          ok = false;
          break;
        }
        d.answers += std::string(q->as_string()) + "=" + std::string(v->as_string()) + "\n";
      }
  }
  if (!ok) {
    *why = kShape;
    return std::nullopt;
  }
  return d;
}

Response malformed(const Request& req, const std::string& why) {
  return problem(400, "/problems/malformed-request", "Malformed request", why, req.path);
}

std::optional<std::int64_t> parse_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return id;
}

boost::json::object count_json(const AudienceCount& c) {
  return {{"recipients", c.recipients}, {"opted_out", c.opted_out}, {"without_email", c.without_email}};
}

}  // namespace

void MessagesApi::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::staff, std::move(h), true, Capability::attendees});
  };
  route("GET", "/api/v1/admin/messages", [this](const Request& r, const PathParams&) { return list(r); });
  route("GET", "/api/v1/admin/messages/{id}", [this](const Request& r, const PathParams& p) { return read(r, p.at("id")); });
  route("POST", "/api/v1/admin/messages/preview", [this](const Request& r, const PathParams&) { return preview(r); });
  route("POST", "/api/v1/admin/messages/test", [this](const Request& r, const PathParams&) { return test(r); });
  route("POST", "/api/v1/admin/messages", [this](const Request& r, const PathParams&) { return create(r); });
  route("POST", "/api/v1/admin/messages/{id}/cancel",
        [this](const Request& r, const PathParams& p) { return cancel(r, p.at("id")); });
}

Response MessagesApi::list(const Request&) {
  boost::json::array out;
  for (const auto& m : messages_.list()) out.push_back(message_json(m));
  return private_json(200, {{"messages", std::move(out)}});
}

Response MessagesApi::read(const Request& req, const std::string& id_text) {
  auto id = parse_id(id_text);
  auto m = id ? messages_.find(*id) : std::nullopt;
  if (!m) return problem(404, "/problems/message-not-found", "Message not found", "No message has the id " + id_text + ".", req.path);
  return private_json(200, {{"message", message_json(*m)}});
}

Response MessagesApi::preview(const Request& req) {
  std::string why;
  auto draft = parse_draft(req.body, nullptr, &why);
  if (!draft) return malformed(req, why);
  const CheckedMessage checked = messages_.check(*draft);
  if (!checked.errors.empty()) return field_problem("/problems/invalid-message", "Invalid message", checked.errors, req.path);
  boost::json::object body = count_json(checked.count);
  body["people"] = checked.count.people;
  if (auto r = messages_.preview(checked, &why)) {
    body["preview"] = boost::json::object{{"subject", r->subject}, {"text", r->text}, {"html", r->html}};
  } else {
    body["preview"] = nullptr;
    body["preview_unavailable"] = why;
  }
  return private_json(200, body);
}

Response MessagesApi::test(const Request& req) {
  std::string why, email;
  auto draft = parse_draft(req.body, &email, &why);
  if (!draft) return malformed(req, why);
  const CheckedMessage checked = messages_.check(*draft);
  auto errors = checked.errors;
  if (!normalize_email(email)) errors.emplace_back("email", "the address to send the test to");
  if (!errors.empty()) return field_problem("/problems/invalid-message", "Invalid message", errors, req.path);
  if (!messages_.can_preview())
    return problem(503, "/problems/no-mail", "No mail server", "This server has no SMTP server (--smtp-url): no test can be sent.", req.path);
  const TestSend r = messages_.send_test(checked, email, req.actor);
  if (r.result == TestSend::Result::invalid)
    return field_problem("/problems/invalid-message", "Test not sent", {{"email", r.detail}}, req.path, r.detail);
  return private_json(r.result == TestSend::Result::sent ? 200 : 502,
                      {{"accepted", r.result == TestSend::Result::sent}, {"answer", r.detail}});
}

Response MessagesApi::create(const Request& req) {
  std::string why;
  auto draft = parse_draft(req.body, nullptr, &why);
  if (!draft) return malformed(req, why);
  draft->idempotency_key = req.header("idempotency-key");
  const CreatedMessage created = messages_.create(*draft, req.actor);
  if (!created.errors.empty()) return field_problem("/problems/invalid-message", "Invalid message", created.errors, req.path);
  return private_json(201, {{"message", message_json(*created.message)}});
}

Response MessagesApi::cancel(const Request& req, const std::string& id_text) {
  auto id = parse_id(id_text);
  auto m = id ? messages_.find(*id) : std::nullopt;
  if (!m) return problem(404, "/problems/message-not-found", "Message not found", "No message has the id " + id_text + ".", req.path);
  if (!messages_.cancel(*id, req.actor))
    return problem(409, "/problems/message-not-scheduled", "Not scheduled",
                   "Message " + id_text + " is " + std::string(to_string(messages_.find(*id)->state)) +
                       ": only a scheduled message can be cancelled.",
                   req.path);
  return private_json(200, {{"message", message_json(*messages_.find(*id))}});
}

}  // namespace marquee
