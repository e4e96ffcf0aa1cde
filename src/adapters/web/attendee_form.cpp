#include "adapters/web/attendee_form.hpp"

namespace marquee {
namespace {

using kainjow::mustache::list;
using kainjow::mustache::object;

}  // namespace

void fill_attendee_form(TemplateData& d, const Event& e, const AttendeeForm& form, bool with_email) {
  const AttendeeForm& state = form;
  auto value = [&](const std::string& k) {
    auto it = state.values.find(k);
    return it == state.values.end() ? std::string() : it->second;
  };
  auto error_for = [&](const std::string& field) {
    for (const auto& [f, m] : state.errors)
      if (f == field) return m;
    return std::string();
  };
  set_text(d, "message", state.message);
  d.set("with_email", with_email);
  d.set("name", value("name"));
  d.set("email", value("email"));
  set_text(d, "name_error", error_for("name"));
  set_text(d, "email_error", error_for("email"));
  TemplateData errors{list{}};
  for (const auto& [field, message] : state.errors) {
    TemplateData item{object{}};
    item.set("anchor", field.starts_with("answers.") ? "q-" + field.substr(8) : field);
    set_text(item, "message", message);
    errors.push_back(item);
  }
  d.set("errors", errors);
  d.set("has_errors", !state.errors.empty());
  TemplateData questions{list{}};
  for (const auto& q : e.questions) {
    TemplateData item{object{}};
    const std::string v = value("q_" + q.id);
    item.set("id", q.id);
    item.set("label", q.label);
    item.set("required", q.required);
    item.set("value", v);
    item.set("is_text", q.kind == QuestionKind::text);
    item.set("is_choice", q.kind == QuestionKind::choice);
    item.set("is_yes_no", q.kind == QuestionKind::yes_no);
    item.set("yes", v == "yes");
    item.set("no", v == "no");
    set_text(item, "error", error_for("answers." + q.id));
    TemplateData choices{list{}};
    for (const auto& c : q.choices) {
      TemplateData ch{object{}};
      ch.set("value", c);
      ch.set("selected", c == v);
      choices.push_back(ch);
    }
    item.set("choices", choices);
    questions.push_back(item);
  }
  d.set("questions", questions);
}

Answers answers_from_form(const Event& e, const std::map<std::string, std::string>& values) {
  Answers out;
  for (const auto& q : e.questions)
    if (auto it = values.find("q_" + q.id); it != values.end()) out.emplace_back(q.id, it->second);
  return out;
}

std::map<std::string, std::string> form_values(const std::string& name, const Answers& answers) {
  std::map<std::string, std::string> out{{"name", name}};
  for (const auto& [id, value] : answers) out["q_" + id] = value;
  return out;
}

}  // namespace marquee
