#include "core/source_record.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace marquee {

const std::vector<std::string>& import_fields() {
  static const std::vector<std::string> fields = {
      "key", "title", "description", "starts_at", "ends_at", "start_date", "start_time", "end_date",
      "end_time", "duration", "time_zone", "all_day", "venue", "address", "room", "category", "tags",
      "organizer", "url", "image_url", "price", "capacity", "status", "registration", "waitlist",
      "retention_days", "questions"};
  return fields;
}

std::optional<ImportField> import_field(std::string_view name) {
  const auto& fields = import_fields();
  const auto it = std::find(fields.begin(), fields.end(), name);
  if (it == fields.end()) return std::nullopt;
  return static_cast<ImportField>(it - fields.begin());
}

std::string_view import_field_name(ImportField field) { return import_fields().at(static_cast<std::size_t>(field)); }

SourceValues::SourceValues(std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, text] : values) (*this)[name] = text;
}

std::string& SourceValues::operator[](std::string_view name) {
  const auto field = import_field(name);
  if (!field) throw std::invalid_argument("not an import field: '" + std::string(name) + "'");
  return (*this)[*field];
}

std::size_t SourceValues::size() const { return static_cast<std::size_t>(std::popcount(present_)); }

}  // namespace marquee
