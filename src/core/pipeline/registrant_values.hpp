#pragma once
// A registrant's values by field name, kept compactly: the registrants of one
// build share one list of field names and each keeps only its values (a
// 50,000-row drive holds 13 values per row; a node-based map per row cost
// four times the memory and most of the lookup time).
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee::pipeline {

class RegistrantValues {
 public:
  /// Field names, sorted and unique; shared by the values made from them.
  using Names = std::vector<std::string>;

  RegistrantValues() = default;
  /// One empty value per name of `names` (sorted, unique).
  explicit RegistrantValues(std::shared_ptr<const Names> names);
  /// The given fields and values (a later repeat of a field replaces the earlier value).
  RegistrantValues(std::initializer_list<std::pair<std::string, std::string>> values);
  RegistrantValues& operator=(std::initializer_list<std::pair<std::string, std::string>> values);

  /// Sorted, unique names from any list of field names.
  static std::shared_ptr<const Names> make_names(std::vector<std::string> names);

  /// A field looked up once in a list of names, for many rows: a row made
  /// from that list is read at the field's place, without a search; any
  /// other row (one that added a field of its own) by the field's name.
  struct Slot {
    std::shared_ptr<const Names> names;  ///< the list searched (held: compared by identity)
    std::size_t index = 0;               ///< the field's place in it; names->size() when absent, 0 without names
    std::string field;
  };
  /// `field`'s slot in `names` (sorted, unique; null: every row is read by name).
  static Slot slot(std::shared_ptr<const Names> names, std::string_view field);

  /// The value of `field` ("" when unanswered); nullptr when the field is
  /// neither in the shared names nor added to this row.
  const std::string* find(std::string_view field) const;
  /// find(slot.field), at the slot's place when this row uses its names.
  const std::string* find(const Slot& slot) const;
  bool contains(std::string_view field) const { return find(field) != nullptr; }
  /// The value of `field`, added empty when the row has no such field (the
  /// shared names are then copied for this row alone).
  std::string& operator[](std::string_view field);
  /// (*this)[slot.field], at the slot's place when this row uses its names.
  std::string& operator[](const Slot& slot);
  /// The names this row's values follow (null for a default-made row): a
  /// slot from them fits every row made from the same list.
  const std::shared_ptr<const Names>& names() const { return names_; }

 private:
  std::shared_ptr<const Names> names_;
  std::vector<std::string> values_;  ///< parallel to *names_
};

}  // namespace marquee::pipeline
