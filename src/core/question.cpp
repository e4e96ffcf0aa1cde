#include "core/question.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace marquee {

std::optional<std::vector<Question>> parse_questions(std::string_view text, std::string* error) {
  std::vector<Question> out;
  int line_no = 0;
  for (const auto& line : split_list(text, '\n')) {
    ++line_no;
    std::vector<std::string> parts;
    std::size_t b = 0;
    while (true) {
      const auto e = line.find('|', b);
      parts.push_back(trim(line.substr(b, e == std::string::npos ? std::string::npos : e - b)));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    auto fail = [&](const std::string& why) {
      *error = "question " + std::to_string(line_no) + ": " + why + " (expected 'id | text|choice|yes_no | required|optional | label [| a; b; c]')";
      return std::nullopt;
    };
    if (parts.size() < 4) return fail("too few fields");
    Question q;
    q.id = ascii_lower(parts[0]);
    if (q.id.empty() || q.id.size() > 40 ||
        !std::all_of(q.id.begin(), q.id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }))
      return fail("id must be 1-40 characters of a-z, 0-9, '_' or '-'");
    if (std::any_of(out.begin(), out.end(), [&](const Question& o) { return o.id == q.id; })) return fail("duplicate id '" + q.id + "'");
    const std::string kind = ascii_lower(parts[1]);
    if (kind == "text") q.kind = QuestionKind::text;
    else if (kind == "choice") q.kind = QuestionKind::choice;
    else if (kind == "yes_no" || kind == "yesno" || kind == "bool") q.kind = QuestionKind::yes_no;
    else return fail("unknown kind '" + parts[1] + "'");
    const std::string req = ascii_lower(parts[2]);
    if (req != "required" && req != "optional") return fail("third field must be 'required' or 'optional'");
    q.required = req == "required";
    q.label = parts[3];
    if (q.label.empty()) return fail("label is empty");
    if (q.kind == QuestionKind::choice) {
      if (parts.size() < 5) return fail("a choice question needs choices");
      q.choices = split_list(parts[4], ';');
      if (q.choices.size() < 2) return fail("a choice question needs at least two choices");
    }
    out.push_back(std::move(q));
  }
  return out;
}

std::string format_questions(const std::vector<Question>& questions) {
  std::string out;
  for (const auto& q : questions) {
    const char* kind = q.kind == QuestionKind::text ? "text" : q.kind == QuestionKind::choice ? "choice" : "yes_no";
    out += q.id + " | " + kind + " | " + (q.required ? "required" : "optional") + " | " + q.label;
    if (q.kind == QuestionKind::choice) out += " | " + join(q.choices, "; ");
    out += "\n";
  }
  return out;
}

Answers check_answers(const std::vector<Question>& questions, const Answers& given,
                      std::vector<std::pair<std::string, std::string>>* errors) {
  Answers out;
  for (const auto& answer : given) {
    const std::string& id = answer.first;  // a plain name: clang 14 cannot capture structured bindings
    if (std::none_of(questions.begin(), questions.end(), [&](const Question& q) { return q.id == id; }))
      errors->emplace_back("answers." + id, "there is no question '" + id + "' for this event");
  }
  for (const auto& q : questions) {
    auto it = std::find_if(given.begin(), given.end(), [&](const auto& a) { return a.first == q.id; });
    const std::string value = it == given.end() ? std::string() : trim(it->second);
    const std::string field = "answers." + q.id;
    if (value.empty()) {
      if (q.required) errors->emplace_back(field, "'" + q.label + "' is required");
      continue;
    }
    if (q.kind == QuestionKind::text) {
      if (value.size() > 2000) errors->emplace_back(field, "at most 2000 characters");
      else out.emplace_back(q.id, collapse_whitespace(nfc(value)));
    } else if (q.kind == QuestionKind::choice) {
      auto c = std::find_if(q.choices.begin(), q.choices.end(), [&](const std::string& ch) { return search_fold(ch) == search_fold(value); });
      if (c == q.choices.end()) errors->emplace_back(field, "must be one of: " + join(q.choices, ", "));
      else out.emplace_back(q.id, *c);
    } else {
      const std::string v = search_fold(value);
      if (v == "yes" || v == "true" || v == "1" || v == "on" || v == "y") out.emplace_back(q.id, "yes");
      else if (v == "no" || v == "false" || v == "0" || v == "off" || v == "n") out.emplace_back(q.id, "no");
      else errors->emplace_back(field, "must be yes or no");
    }
  }
  return out;
}

}  // namespace marquee
