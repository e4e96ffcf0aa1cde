#pragma once
// The attendee fields shared by the registration form, the personal page's
// "change my details" form and its transfer form (templates/attendee_fields.mustache):
// name, e-mail (optional), the event's extra questions, and their errors.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "adapters/render/templates.hpp"
#include "core/event.hpp"
#include "core/question.hpp"

namespace marquee {

/// What a form shows: the values as posted (or prefilled), and the errors.
struct AttendeeForm {
  std::map<std::string, std::string> values;                // "name", "email", "q_<id>" → value
  std::vector<std::pair<std::string, std::string>> errors;  // field ("name", "email", "answers.<id>") → message
  std::string message;                                      // a banner above the form ("" = none)
};

/// Sets the partial's data on `d`: name, email, with_email, their errors,
/// errors / has_errors (the summary with anchors), questions (each with its
/// value, choices and error), message.
void fill_attendee_form(TemplateData& d, const Event& e, const AttendeeForm& form, bool with_email);

/// The answers posted for `e`'s questions (fields "q_<id>"), in question order.
Answers answers_from_form(const Event& e, const std::map<std::string, std::string>& values);

/// The form's values for an existing registration's name and answers.
std::map<std::string, std::string> form_values(const std::string& name, const Answers& answers);

}  // namespace marquee
