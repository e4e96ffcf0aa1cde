#pragma once
// Registrants of a registration drive (`marquee pipeline`): the fields a
// mapping declares, the normalization of each kind of answer, and stable keys.
// Pure text rules; dates and time zones are converted by the app layer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/registrant_values.hpp"

namespace marquee::pipeline {

/// How a field's answers are normalized (config/mappings.toml `kind`).
enum class FieldKind { text, name, email, phone, yes_no, choice, list, datetime, sessions, status };

/// "text" | "name" | "email" | "phone" | "yes_no" | "choice" | "list" | "datetime" | "sessions" | "status".
std::string_view to_string(FieldKind k);
std::optional<FieldKind> parse_field_kind(std::string_view s);

/// One field of the registrant table, declared under [fields] in mappings.toml.
struct FieldSpec {
  std::string name;             ///< e.g. "email", "region"
  FieldKind kind = FieldKind::text;
  bool personal = false;        ///< never in a public output (checked by the privacy guard)
  bool summary = false;         ///< counted per value in the public summaries
  std::string value_map;        ///< name of a [value_maps.NAME] table; "" = none
  std::string label;            ///< heading in summaries; "" = the name
};

/// A value map: answers as written (folded with fold_key) → canonical value.
/// `fallback` (the "*" entry) replaces answers that have no entry; without it
/// they are kept as written (trimmed) and reported.
struct ValueMap {
  std::map<std::string, std::string> entries;
  std::optional<std::string> fallback;
};

/// The comparison form of an answer: white space collapsed, NFKC case-folded.
std::string fold_key(std::string_view s);

/// One normalized answer. `note` is non-empty when the answer needed a guess
/// or could not be read (it becomes a warning naming the line and field).
struct Normalized {
  std::string value;
  std::string note;
};

/// Trimmed and case-folded (whole address); a note when it has no '@' or no
/// dot in the domain.
Normalized normalize_email(std::string_view raw);

/// E.164-style "+<country><number>" (ITU-T E.164): separators dropped, a
/// leading "00" becomes "+", a leading single "0" becomes "+<default_country>"
/// (digits, e.g. "49"). Fewer than 6 or more than 15 digits keep the digits
/// and add a note.
Normalized normalize_phone(std::string_view raw, std::string_view default_country);

/// White space collapsed (also U+3000 IDEOGRAPHIC SPACE), NFC; ALL CAPS or
/// all lower case names are title-cased.
Normalized normalize_name(std::string_view raw);

/// "yes" or "no". Accepts yes/y/true/1/x/ja/si/sí/sim/oui and no/n/false/0/nein/não/non
/// (case-insensitive) plus the entries of `extra`; "" stays "" (unanswered).
Normalized normalize_yes_no(std::string_view raw, const ValueMap* extra);

/// A single choice through `map` (see ValueMap); "" stays "". A value that
/// is already one of the map's results maps to itself (normalization is idempotent).
Normalized map_choice(std::string_view raw, const ValueMap* map);

/// A checkbox answer (options joined by ", " or ";"): the whole cell is looked
/// up first, then each part. The result is the mapped options, sorted, unique,
/// joined by "; ".
Normalized map_list(std::string_view raw, const ValueMap* map);

/// "active" | "cancelled" | "duplicate" through `map`; "" → "active".
/// Anything else → "active" with a note.
Normalized normalize_status(std::string_view raw, const ValueMap* map);

/// Splits a "; "-joined list value.
std::vector<std::string> list_items(std::string_view value);

/// The stable key of a registrant: "r-" + the first 12 hex digits of
/// SHA-256(source "\x1f" id parts joined by "\x1f"). The same raw row gives
/// the same key on every run and machine.
std::string registrant_key(std::string_view source, const std::vector<std::string>& id_parts);

/// One step of a value's history, printed by `marquee pipeline explain`.
struct TraceStep {
  std::string kind;    ///< "raw" | "normalize" | "patch" | "rule"
  std::string where;   ///< "raw/forms.csv line 14, column \"Email address\"", "config/patches/a.toml line 3"
  std::string detail;  ///< what happened, e.g. "value map regions: no entry" or a patch's reason
  std::string value;   ///< the value after the step
};

/// One row of one raw export, normalized.
struct Registrant {
  std::string key;
  std::string source;            ///< the [[sources]] name
  std::size_t source_index = 0;  ///< into the build's source list
  std::size_t row_index = 0;     ///< into that source's records
  std::string file;              ///< project-relative path of the raw file
  std::int64_t line = 0;         ///< 1-based line of the row in the raw file
  std::int64_t registered_at = 0;  ///< UTC seconds; 0 when unknown
  RegistrantValues values;                                      ///< field → normalized value
  std::map<std::string, std::vector<TraceStep>> trace;     ///< field → patches and rules (raw steps are re-read by explain)

  const std::string& value(std::string_view field) const;
  /// value(slot.field), without a search when the slot fits these values.
  const std::string& value(const RegistrantValues::Slot& slot) const;
  bool active() const { return value("status").empty() || value("status") == "active"; }
  /// active(), the status read at `status` (the slot of "status").
  bool active(const RegistrantValues::Slot& status) const {
    const std::string& s = value(status);
    return s.empty() || s == "active";
  }
};

/// Whether `registrants` are sorted by key (a build's are; equal neighbours
/// allowed): an index then stands for its key's rank. n - 1 key comparisons.
bool in_key_order_of(const std::vector<Registrant>& registrants);

}  // namespace marquee::pipeline
