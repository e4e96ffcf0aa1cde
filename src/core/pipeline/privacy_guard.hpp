#pragma once
// The privacy guard: finds personal values (names, e-mails, phone numbers,
// free-text answers) in text meant for publication.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace marquee::pipeline {

/// Personal values, compared as sequences of words: text is NFKC case-folded
/// and split into runs of letters and digits, so "Anna  SCHMIDT", "anna-schmidt"
/// and "Anna&nbsp;Schmidt" (after entity decoding) all match "Anna Schmidt",
/// while "Annabelle" does not match "Anna".
///
/// Values are kept as 64-bit hashes of their word sequence, each with the
/// caller's number for where it came from (its origin); the caller turns a
/// found origin into words. Two different word sequences with the same hash
/// (odds about 2^-64 per pair) would share one origin or one allow-list entry.
class PersonalValues {
 public:
  using Origin = std::uint32_t;

  /// `min_chars`: values with fewer letters and digits are not tracked (too
  /// common to identify anyone, e.g. "No").
  explicit PersonalValues(std::size_t min_chars = 5) : min_chars_(min_chars) {}

  /// Room for `values` more add() calls without regrowing (a build adds
  /// about 400,000: each regrowth copied them all into new memory).
  void reserve(std::size_t values) { needles_.reserve(needles_.size() + values); }
  /// Tracks `value` as coming from `origin`; a value added twice keeps its first origin.
  void add(std::string_view value, Origin origin);
  /// Never reports `value` (an allow-list entry), whether added before or after.
  void allow(std::string_view value);

  /// The number of distinct values tracked, allowed ones left out.
  std::size_t size();

  /// The origins of the tracked values found in `text`, each once, in order
  /// of appearance (by starting word; at one word, word counts in the order
  /// they were first added).
  std::vector<Origin> find_in(std::string_view text);

 private:
  void seal();

  std::size_t min_chars_;
  std::vector<std::pair<std::uint64_t, Origin>> needles_;  // sorted by hash once sealed; the first origin of a hash wins
  bool sealed_ = true;
  std::vector<std::size_t> lengths_;                        // distinct word counts of the needles, in order of first use
  std::size_t max_length_ = 0;                              // the most words in a needle
  static constexpr std::size_t kFilterBits = std::size_t{1} << 22;
  std::vector<bool> filter_ = std::vector<bool>(kFilterBits);  // hash % kFilterBits of every needle: a quick "no"
  std::unordered_set<std::uint64_t> allowed_;
};

}  // namespace marquee::pipeline
