#pragma once
// Patches: explicit, reviewable corrections of registrant fields
// (config/patches/*.toml). Applied in file-name order, then line order.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pipeline/registrant.hpp"

namespace marquee::pipeline {

/// One [[patch]] table.
struct Patch {
  std::string file;         ///< project-relative path, e.g. "config/patches/2026-08-03-regions.toml"
  std::int64_t line = 0;    ///< line of the [[patch]] header
  std::string record;       ///< target by stable key ("r-…"), or "" when `match` is used
  std::string match_source; ///< optional: restrict `match` to one [[sources]] name
  std::vector<std::pair<std::string, std::string>> match;  ///< raw column → raw text (compared folded)
  std::string field;        ///< a field declared in mappings.toml
  std::string old_value;    ///< the value expected before the patch (as built so far)
  std::string new_value;    ///< the corrected value, normalized like an answer of the field's kind
  std::string reason, author, date;  ///< date: YYYY-MM-DD

  /// "config/patches/a.toml:12".
  std::string where() const { return file + ":" + std::to_string(line); }
};

/// A patch that was applied, with its effect.
struct AppliedPatch {
  const Patch* patch = nullptr;
  std::string record;   ///< the registrant's key
  std::string before;   ///< value before (normalized)
  std::string after;    ///< value after (normalized)
};

/// What apply_patches needs from the build.
struct PatchContext {
  const std::map<std::string, FieldSpec>* fields = nullptr;
  /// Normalizes a text as an answer of `spec` (same rules as the raw exports).
  std::function<Normalized(const FieldSpec& spec, std::string_view text)> normalize;
  /// The raw text of `column` in the registrant's row; nullopt when the source has no such column.
  std::function<std::optional<std::string>(const Registrant& r, std::string_view column)> raw_column;
};

/// Applies `patches` in order to `registrants` (each change is added to the
/// field's trace). Every problem becomes one message in `errors`, starting
/// with the patch's "file:line: ": unknown field; no target (key not found or
/// no row matches); an ambiguous match (more than one row); an expected old
/// value that differs from the current one (both shown); a second patch on
/// the same record and field (conflict, naming the first); a new value the
/// field's rules reject. Patches with errors change nothing.
std::vector<AppliedPatch> apply_patches(std::vector<Registrant>& registrants, const std::vector<Patch>& patches,
                                        const PatchContext& ctx, std::vector<std::string>* errors);

}  // namespace marquee::pipeline
