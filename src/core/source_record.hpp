#pragma once
// One record read from any source format, before assembly into an Event.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee {

/// The fields an import can set, in the order of import_fields().
enum class ImportField : std::uint8_t {
  key, title, description, starts_at, ends_at, start_date, start_time, end_date, end_time, duration,
  time_zone, all_day, venue, address, room, category, tags, organizer, url, image_url, price, capacity,
  status, registration, waitlist, retention_days, questions,
};
inline constexpr std::size_t kImportFieldCount = 27;
static_assert(static_cast<std::size_t>(ImportField::questions) + 1 == kImportFieldCount);

/// The field called `name` (exact, lower case, e.g. "starts_at"), or nullopt
/// for a name that is not one of import_fields().
std::optional<ImportField> import_field(std::string_view name);
/// The field's name, e.g. "starts_at" for ImportField::starts_at.
std::string_view import_field_name(ImportField field);

/// A record's values as text, one slot per import field: a fixed array, not
/// a map of names, so assembly reads a field by its index (an import of
/// 100,000 rows looked names up some 35 times a record). A field is present
/// once it was assigned, even to "".
class SourceValues {
 public:
  SourceValues() = default;
  /// Values by field name; throws std::invalid_argument naming a name that
  /// is not one of import_fields().
  SourceValues(std::initializer_list<std::pair<std::string_view, std::string>> values);

  /// The field's text, marking it present.
  std::string& operator[](ImportField field) {
    present_ |= bit(field);
    return text_[static_cast<std::size_t>(field)];
  }
  /// The same by name; throws std::invalid_argument for an unknown name.
  std::string& operator[](std::string_view name);

  bool contains(ImportField field) const { return (present_ & bit(field)) != 0; }
  /// The field's text, "" when it is not present.
  const std::string& get(ImportField field) const { return text_[static_cast<std::size_t>(field)]; }
  /// The number of present fields.
  std::size_t size() const;
  friend bool operator==(const SourceValues&, const SourceValues&) = default;

 private:
  static std::uint32_t bit(ImportField field) { return std::uint32_t{1} << static_cast<unsigned>(field); }
  std::array<std::string, kImportFieldCount> text_;
  std::uint32_t present_ = 0;
};

/// Date/time fields hold source text that the assembler parses, e.g.
/// starts_at = "2026-06-12T19:00:00" with time_zone = "Europe/Berlin".
struct SourceRecord {
  std::int64_t line = 0;         ///< 1-based line in the source file
  std::string record_id;         ///< the source's own identity (for stable keys); may be empty
  SourceValues values;
};

/// The field names an import can set, in ImportField order:
/// key, title, description, starts_at, ends_at, start_date, start_time, end_date,
/// end_time, duration, time_zone, all_day, venue, address, room, category, tags,
/// organizer, url, image_url, price, capacity, status, registration, waitlist,
/// retention_days, questions.
const std::vector<std::string>& import_fields();

}  // namespace marquee
