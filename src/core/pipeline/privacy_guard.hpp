#pragma once
// The privacy guard: finds personal values (names, e-mails, phone numbers,
// free-text answers) in text meant for publication.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace marquee::pipeline {

/// Personal values, compared as sequences of words: text is NFKC case-folded
/// and split into runs of letters and digits, so "Anna  SCHMIDT", "anna-schmidt"
/// and "Anna&nbsp;Schmidt" (after entity decoding) all match "Anna Schmidt",
/// while "Annabelle" does not match "Anna".
class PersonalValues {
 public:
  /// `min_chars`: values with fewer letters and digits are not tracked (too
  /// common to identify anyone, e.g. "No").
  explicit PersonalValues(std::size_t min_chars = 5) : min_chars_(min_chars) {}

  /// Tracks `value`; `origin` says where it came from (e.g. "email of r-1a2b… (raw/forms.csv line 14)")
  /// and is what a finding reports: the value itself is never echoed.
  void add(std::string_view value, const std::string& origin);
  /// Never reports `value` (an allow-list entry), even when it was added.
  void allow(std::string_view value);

  std::size_t size() const { return needles_.size(); }

  /// The origins of the tracked values found in `text`, each once, in order of appearance.
  std::vector<std::string> find_in(std::string_view text) const;

 private:
  std::size_t min_chars_;
  std::unordered_map<std::string, std::string> needles_;  // words joined by ' ' → origin
  std::vector<std::size_t> lengths_;                       // distinct word counts of the needles
  std::unordered_map<std::string, bool> allowed_;
};

/// Letters-and-digits words of the NFKC case-folded `text`.
std::vector<std::string> words_of(std::string_view text);

}  // namespace marquee::pipeline
