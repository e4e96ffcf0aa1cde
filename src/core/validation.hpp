#pragma once
// Data-quality rules for events. Errors reject a record; warnings keep it and
// are stored with the event so the admin can show them.
#include <cstdint>
#include <string>
#include <boost/unordered/unordered_flat_map.hpp>
#include <vector>

#include "core/event.hpp"
#include "core/import_report.hpp"

namespace marquee {

/// Limits on field sizes, in bytes.
inline constexpr std::size_t kMaxTitleBytes = 500;
inline constexpr std::size_t kMaxTextBytes = 64 * 1024;  ///< description and other text fields

/// Validates one assembled event.
/// `now`: the current instant (passed in, never read here) for "start in the past".
/// `end_given`: false when the source had no end time (the assembler set a default).
/// Returns errors (empty title, end before start, bad key, capacity < 0,
/// oversized fields) and warnings (missing end, URL without scheme, all-caps
/// title, start in the past); `line` and `key` are copied into each issue.
std::vector<RowIssue> validate_event(const Event& e, bool end_given, UnixSeconds now, std::int64_t line);

/// The batch rules of an import, one record at a time in source order: a key
/// seen before is an error for the later record (left out; the issue names the
/// first line); the same title, start and venue as an earlier record is a
/// warning, added to the later event's warnings. Keys and slots are looked up
/// by hash in flat tables (no quadratic scan, no node per record). Each key is
/// kept whole; a slot only as a 64-bit hash of its folded title, start and
/// venue: two different slots share one with a chance of about n²/2⁶⁵ for n
/// records (1 in 3.7 billion at 100,000, 1 in 37 million at a million),
/// which would add a wrong warning, never leave a record out.
class BatchChecker {
 public:
  /// Checks `e` (source line `line`) against the records admitted before:
  /// returns false when it must be left out (a repeated key); a repeated
  /// slot adds its warning to `e`. Issues are appended to `out`.
  bool admit(Event& e, std::int64_t line, std::vector<RowIssue>& out);
  /// Room for `records` admissions without rehashing (e.g. a CSV's line count).
  void reserve(std::size_t records) {
    key_lines_.reserve(records);
    slot_lines_.reserve(records);
  }

 private:
  boost::unordered_flat_map<std::string, std::int64_t> key_lines_;
  boost::unordered_flat_map<std::uint64_t, std::int64_t> slot_lines_;
};

}  // namespace marquee
