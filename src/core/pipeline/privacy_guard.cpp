#include "core/pipeline/privacy_guard.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

bool word_byte(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80; }

std::string joined(const std::vector<std::string>& words, std::size_t from, std::size_t n) {
  std::string s;
  for (std::size_t i = from; i < from + n; ++i) {
    if (i > from) s += ' ';
    s += words[i];
  }
  return s;
}

}  // namespace

std::vector<std::string> words_of(std::string_view text) {
  const std::string folded = search_fold(text);
  std::vector<std::string> words;
  std::string cur;
  for (char ch : folded) {
    if (word_byte(static_cast<unsigned char>(ch))) cur += ch;
    else if (!cur.empty()) words.push_back(std::move(cur)), cur.clear();
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

void PersonalValues::add(std::string_view value, const std::string& origin) {
  const auto words = words_of(value);
  std::size_t chars = 0;
  for (const auto& w : words) chars += w.size();
  if (words.empty() || chars < min_chars_) return;
  const std::string needle = joined(words, 0, words.size());
  if (allowed_.contains(needle)) return;
  needles_.try_emplace(needle, origin);
  if (std::find(lengths_.begin(), lengths_.end(), words.size()) == lengths_.end()) lengths_.push_back(words.size());
}

void PersonalValues::allow(std::string_view value) {
  const auto words = words_of(value);
  if (words.empty()) return;
  const std::string needle = joined(words, 0, words.size());
  allowed_[needle] = true;
  needles_.erase(needle);
}

std::vector<std::string> PersonalValues::find_in(std::string_view text) const {
  std::vector<std::string> found;
  if (needles_.empty()) return found;
  std::set<std::string> seen;
  const auto words = words_of(text);
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t n : lengths_) {
      if (i + n > words.size()) continue;
      auto it = needles_.find(joined(words, i, n));
      if (it != needles_.end() && seen.insert(it->second).second) found.push_back(it->second);
    }
  }
  return found;
}

}  // namespace marquee::pipeline
