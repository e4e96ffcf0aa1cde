#include "adapters/web/console/messages_console.hpp"

#include <algorithm>
#include <set>

#include "adapters/http/form.hpp"
#include "adapters/render/event_text.hpp"
#include "adapters/web/console/console_page.hpp"
#include "adapters/web/html_response.hpp"
#include "app/accounts.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

std::string field_label(const std::string& field) {
  static const std::map<std::string, std::string> labels = {
      {"events", "Events"}, {"states", "Who"},     {"answers", "Answers"}, {"subject", "Subject"},
      {"body", "Message"},  {"send_at", "Send at"}, {"email", "Test address"}};
  auto it = labels.find(field);
  return it == labels.end() ? field : it->second;
}

MessageDraft draft_of(const std::vector<std::pair<std::string, std::string>>& pairs) {
  MessageDraft d;
  std::string states;
  for (const auto& [name, value] : pairs) {
    if (name == "event") d.event_keys.push_back(value);
    else if (name == "state") states += (states.empty() ? "" : ", ") + value;
    else if (name == "answers") d.answers = value;
    else if (name == "subject") d.subject = value;
    else if (name == "body") d.body = value;
    else if (name == "send_at") d.send_at = value;
    else if (name == "nonce") d.idempotency_key = value;
  }
  d.states = states;
  return d;
}

}  // namespace

void MessagesConsole::add_routes(Router& router) {
  auto route = [&](const char* method, const char* pattern, Handler h) {
    router.add(Route{method, pattern, Access::console, std::move(h), true, Capability::attendees});
  };
  route("GET", "/admin/messages", [this](const Request& r, const PathParams&) {
    return page(r, MessageDraft{}, 200, nullptr);
  });
  route("POST", "/admin/messages", [this](const Request& r, const PathParams&) { return post(r); });
  route("POST", "/admin/messages/{id}/cancel", [this](const Request& r, const PathParams& p) { return cancel(r, p.at("id")); });
}

Response MessagesConsole::page(const Request& req, const MessageDraft& draft, int status,
                              const std::function<void(TemplateData&)>& extra) {
  const ConsoleUser user = console_user(req);
  TemplateData d = console_data(user);
  const std::string zone = zone_ ? zone_() : std::string("UTC");
  d.set("zone", zone);
  // Events that take registrations, by start.
  std::vector<Event> events = events_.list_events();
  events.erase(std::remove_if(events.begin(), events.end(), [](const Event& e) { return !e.registration; }), events.end());
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.starts_at != b.starts_at ? a.starts_at < b.starts_at : a.key < b.key;
  });
  const std::set<std::string> chosen(draft.event_keys.begin(), draft.event_keys.end());
  TemplateData event_rows{list{}};
  for (const auto& e : events) {
    TemplateData r{object{}};
    r.set("key", e.key);
    r.set("title", e.title);
    r.set("when", when_text(e));
    r.set("checked", chosen.count(e.key) > 0);
    event_rows.push_back(r);
  }
  d.set("events", event_rows);
  d.set("no_events", events.empty());
  const std::string states = draft.states.empty() && draft.event_keys.empty() ? "confirmed, checked_in" : draft.states;
  for (const char* s : {"confirmed", "checked_in", "waitlisted"})
    d.set(std::string("state_") + s, states.find(s) != std::string::npos);
  set_text(d, "answers", draft.answers);
  set_text(d, "subject", draft.subject);
  set_text(d, "body", draft.body);
  set_text(d, "send_at", draft.send_at);
  d.set("can_preview", messages_.can_preview());
  d.set("test_email", user.email);
  // A fresh nonce per form: the same form sent twice (a double click, a reload) makes one message.
  d.set("nonce", draft.idempotency_key.empty() ? random_token() : draft.idempotency_key);
  if (extra) extra(d);
  TemplateData rows{list{}};
  for (const auto& m : messages_.list(100)) {
    TemplateData r{object{}};
    r.set("id", std::to_string(m.id));
    r.set("subject", m.subject);
    r.set("audience", describe_audience(m.audience));
    r.set("state", std::string(to_string(m.state)));
    r.set("scheduled", m.state == MessageState::scheduled);
    r.set("send_at", console_local_time(m.send_at, zone));
    r.set("created_by", m.created_by);
    set_text(r, "recipients", m.recipients ? std::to_string(*m.recipients) : std::string());
    rows.push_back(r);
  }
  d.set("messages", rows);
  d.set("has_messages", !rows.is_empty_list());
  return console_page(site_, user, status, "Messages", "messages", "admin_messages", d, req.param("notice"));
}

Response MessagesConsole::post(const Request& req) {
  const auto pairs = parse_form_pairs(req.body);
  const MessageDraft draft = draft_of(pairs);
  std::string action;
  for (const auto& [name, value] : pairs)
    if (name == "action") action = value;
  const CheckedMessage checked = messages_.check(draft);
  auto with_errors = [&](const std::vector<std::pair<std::string, std::string>>& errors) {
    return page(req, draft, 422, [&errors](TemplateData& d) {
      TemplateData rows{list{}};
      for (const auto& [field, message] : errors) {
        TemplateData e{object{}};
        e.set("field", field_label(field));
        e.set("message", message);
        rows.push_back(e);
      }
      d.set("errors", rows);
      d.set("has_errors", true);
    });
  };
  if (!checked.errors.empty()) return with_errors(checked.errors);
  if (action == "send") {
    const CreatedMessage created = messages_.create(draft, req.actor);
    if (!created.errors.empty()) return with_errors(created.errors);
    return see_other(std::string("/admin/messages?notice=") +
                     (created.message->state == MessageState::sent ? "message-sent" : "message-scheduled"));
  }
  std::optional<TestSend> test;
  if (action == "test") test = messages_.send_test(checked, console_user(req).email, req.actor);
  std::string why;
  const auto rendered = messages_.preview(checked, &why);
  const std::string zone = zone_ ? zone_() : std::string("UTC");
  return page(req, draft, 200, [&](TemplateData& d) {
    d.set("counted", true);
    // One e-mail per registration: someone registered for several chosen events gets one for each.
    const auto& c = checked.count;
    d.set("recipients", c.people == c.recipients ? count_of(c.people, "person", "people")
                                                 : count_of(c.recipients, "registration", "registrations") + " (" +
                                                       count_of(c.people, "person", "people") + ")");
    d.set("opted_out", std::to_string(checked.count.opted_out));
    d.set("without_email", std::to_string(checked.count.without_email));
    d.set("can_send", checked.count.recipients > 0);
    d.set("later", checked.message.send_at > checked.message.created_at + 60);
    d.set("send_at_text", console_local_time(checked.message.send_at, zone));
    if (test) {
      d.set(test->result == TestSend::Result::sent ? "test_sent" : "test_failed", true);
      set_text(d, "test_answer", test->detail);
    }
    if (rendered) {
      d.set("preview", true);
      d.set("preview_subject", rendered->subject);
      d.set("preview_text", rendered->text);
    } else {
      d.set("preview_unavailable", why);
    }
  });
}

Response MessagesConsole::cancel(const Request& req, const std::string& id_text) {
  const auto id = parse_int(id_text);
  if (!id || !messages_.find(*id))
    return console_error(site_, console_user(req), 404, "No such message", "No message has the id " + id_text + ".",
                         "/admin/messages");
  if (!messages_.cancel(*id, req.actor))
    return console_error(site_, console_user(req), 409, "Not cancelled",
                         "This message is no longer scheduled: it was sent or cancelled already.", "/admin/messages");
  return see_other("/admin/messages?notice=message-cancelled");
}

}  // namespace marquee
