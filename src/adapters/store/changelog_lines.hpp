#pragma once
// A snapshot's changelog as text lines, stored as LZ4 frames per snapshot
// (table snapshot_changelogs, migration 0024; docs/snapshot-format.md).
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot_diff.hpp"

namespace marquee {

/// One line per change, in order: the event key, the change (`added`,
/// `removed`, `changed`), the field names joined with ",", then each detail
/// as field, before and after; tab-separated, each line ended by "\n".
/// Detail values are whitespace-collapsed first (collapse_whitespace: no tab
/// or line break is left in them), as the changelog's rows store them.
std::string encode_changelog_lines(const std::vector<EventChange>& changes);

/// The lines of changes[begin, end) (encode_changelog_lines' bytes), handed
/// to `piece` in order in pieces of whole lines: each ends with the first
/// line that takes it to `piece_bytes` bytes or more (the last may hold
/// fewer), written into one buffer reused from piece to piece (a view valid
/// during its call only). Throws what `piece` throws, std::bad_alloc.
void encode_changelog_lines(const std::vector<EventChange>& changes, std::size_t begin, std::size_t end,
                            std::size_t piece_bytes, const std::function<void(std::string_view)>& piece);

/// The first `limit` changes of encode_changelog_lines() text (all by
/// default). Throws StoreError naming the line (1-based) when a line has no
/// change kind, an unknown one, or details not in threes.
std::vector<EventChange> decode_changelog_lines(std::string_view text,
                                                std::size_t limit = std::numeric_limits<std::size_t>::max());

/// A change's details as the `details` column of a snapshot_changes row (and
/// of a backup) holds them: one "field\tbefore\tafter\n" line per detail,
/// values whitespace-collapsed.
std::string encode_change_details(const FieldValuesList& details);

}  // namespace marquee
