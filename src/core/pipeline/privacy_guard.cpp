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

/// The hash of a word sequence: each word hashed, then folded in order, so
/// that every run of words in a text can be hashed as it is extended.
constexpr std::uint64_t kWordFactor = 0x100000001b3ULL;
std::uint64_t word_hash(std::string_view w) { return std::hash<std::string_view>{}(w); }
std::uint64_t extend(std::uint64_t h, std::string_view w) { return h * kWordFactor + word_hash(w); }

std::uint64_t hash_words(const std::vector<std::string_view>& words) {
  std::uint64_t h = 0;
  for (auto w : words) h = extend(h, w);
  return h;
}

}  // namespace

void PersonalValues::add(std::string_view value, Origin origin) {
  const std::string folded = search_fold(value);
  const auto words = word_views(folded);
  std::size_t chars = 0;
  for (auto w : words) chars += w.size();
  if (words.empty() || chars < min_chars_) return;
  const std::uint64_t h = hash_words(words);
  needles_.emplace_back(h, origin);
  filter_[h % kFilterBits] = true;
  sealed_ = false;
  if (std::find(lengths_.begin(), lengths_.end(), words.size()) == lengths_.end()) lengths_.push_back(words.size());
  max_length_ = std::max(max_length_, words.size());
}

void PersonalValues::allow(std::string_view value) {
  const std::string folded = search_fold(value);
  const auto words = word_views(folded);
  if (words.empty()) return;
  allowed_.insert(hash_words(words));
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
  std::vector<std::uint64_t> hashes(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) hashes[i] = word_hash(words[i]);
  std::vector<std::uint64_t> runs(max_length_ + 1);  // runs[n]: the hash of the n words from i
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::uint64_t h = 0;
    for (std::size_t n = 1; n <= max_length_ && i + n <= words.size(); ++n) runs[n] = h = h * kWordFactor + hashes[i + n - 1];
    for (const std::size_t n : lengths_) {
      if (i + n > words.size()) continue;
      const std::uint64_t run = runs[n];
      if (!filter_[run % kFilterBits]) continue;  // most runs stop here
      auto it = std::lower_bound(needles_.begin(), needles_.end(), run, [](const auto& e, std::uint64_t v) { return e.first < v; });
      if (it == needles_.end() || it->first != run || allowed_.contains(run)) continue;
      if (seen.insert(it->second).second) found.push_back(it->second);
    }
  }
  return found;
}

}  // namespace marquee::pipeline
