#include "core/pipeline/privacy_guard.hpp"

#include <algorithm>
#include <functional>

#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

bool word_byte(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80; }

/// The words of folded text, each a view into it.
std::vector<std::string_view> word_views(std::string_view folded) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  bool in_word = false;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    const bool w = i < folded.size() && word_byte(static_cast<unsigned char>(folded[i]));
    if (w && !in_word) start = i;
    if (!w && in_word) words.push_back(folded.substr(start, i - start));
    in_word = w;
  }
  return words;
}

/// Words `from`…`from + n` joined by single spaces, hashed.
std::uint64_t hash_words(const std::vector<std::string_view>& words, std::size_t from, std::size_t n, std::string& scratch) {
  scratch.clear();
  for (std::size_t i = from; i < from + n; ++i) {
    if (i > from) scratch += ' ';
    scratch += words[i];
  }
  return std::hash<std::string_view>{}(scratch);
}

}  // namespace

std::vector<std::string> words_of(std::string_view text) {
  const std::string folded = search_fold(text);
  std::vector<std::string> out;
  for (auto w : word_views(folded)) out.emplace_back(w);
  return out;
}

void PersonalValues::add(std::string_view value, Origin origin) {
  const std::string folded = search_fold(value);
  const auto words = word_views(folded);
  std::size_t chars = 0;
  for (auto w : words) chars += w.size();
  if (words.empty() || chars < min_chars_) return;
  needles_.emplace_back(hash_words(words, 0, words.size(), scratch_), origin);
  sealed_ = false;
  if (std::find(lengths_.begin(), lengths_.end(), words.size()) == lengths_.end()) lengths_.push_back(words.size());
}

void PersonalValues::allow(std::string_view value) {
  const std::string folded = search_fold(value);
  const auto words = word_views(folded);
  if (words.empty()) return;
  allowed_.insert(hash_words(words, 0, words.size(), scratch_));
}

void PersonalValues::seal() {
  if (sealed_) return;
  // Stable: among equal hashes the first added (its origin) stays first.
  std::stable_sort(needles_.begin(), needles_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  needles_.erase(std::unique(needles_.begin(), needles_.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                 needles_.end());
  needles_.shrink_to_fit();
  sealed_ = true;
}

std::size_t PersonalValues::size() {
  seal();
  std::size_t n = 0;
  for (const auto& [hash, origin] : needles_) n += allowed_.contains(hash) ? 0 : 1;
  return n;
}

std::vector<PersonalValues::Origin> PersonalValues::find_in(std::string_view text) {
  seal();
  std::vector<Origin> found;
  if (needles_.empty()) return found;
  std::unordered_set<Origin> seen;
  const std::string folded = search_fold(text);
  const auto words = word_views(folded);
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t n : lengths_) {
      if (i + n > words.size()) continue;
      const std::uint64_t h = hash_words(words, i, n, scratch_);
      auto it = std::lower_bound(needles_.begin(), needles_.end(), h, [](const auto& e, std::uint64_t v) { return e.first < v; });
      if (it == needles_.end() || it->first != h || allowed_.contains(h)) continue;
      if (seen.insert(it->second).second) found.push_back(it->second);
    }
  }
  return found;
}

}  // namespace marquee::pipeline
