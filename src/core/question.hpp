#pragma once
// Extra questions an event asks at registration (dietary needs, accessibility…).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marquee {

enum class QuestionKind { text, choice, yes_no };

struct Question {
  std::string id;                    ///< [a-z0-9_-], unique within the event; the answer's key
  QuestionKind kind = QuestionKind::text;
  bool required = false;
  std::string label;                 ///< shown to attendees
  std::vector<std::string> choices;  ///< for kind == choice
  friend bool operator==(const Question&, const Question&) = default;
};

/// Parses the text form used in CSV files and the store: one question per
/// line, fields separated by '|':
///   id | text|choice|yes_no | required|optional | label [| choice; choice; …]
/// e.g. "dietary | choice | optional | Dietary needs | None; Vegetarian; Vegan".
/// Returns nullopt and sets `error` (naming the line) when a line is malformed.
std::optional<std::vector<Question>> parse_questions(std::string_view text, std::string* error);

/// The inverse of parse_questions (one line per question, " | " separators).
std::string format_questions(const std::vector<Question>& questions);

/// Answers keyed by question id, in question order.
using Answers = std::vector<std::pair<std::string, std::string>>;

/// Checks `given` against `questions`: required answers present, choices among
/// the allowed ones, yes/no normalized to "yes"/"no", text at most 2000 bytes,
/// no answers to unknown questions. Returns the normalized answers; fills
/// `errors` with (field, message) pairs, field = "answers.<id>".
Answers check_answers(const std::vector<Question>& questions, const Answers& given,
                      std::vector<std::pair<std::string, std::string>>* errors);

}  // namespace marquee
