#pragma once
// The described fields of one change (EventChange::details): each a field
// name with its raw values before and after, all of a change's in one buffer.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>

namespace marquee {

/// One field of a change record: raw values (UTC seconds for starts_at and
/// ends_at, IANA names for time_zone, "true"/"false", the status word).
struct FieldValues {
  std::string field;
  std::string before;  ///< "" for added events
  std::string after;   ///< "" for removed events
  friend bool operator==(const FieldValues&, const FieldValues&) = default;
};

/// One entry of a FieldValuesList: views of its three texts. Any change to
/// the list, and moving it (a short list keeps its bytes inside itself),
/// leaves them dangling.
struct FieldValuesView {
  std::string_view field;
  std::string_view before;  ///< "" for added events
  std::string_view after;   ///< "" for removed events
  explicit operator FieldValues() const { return {std::string(field), std::string(before), std::string(after)}; }
  friend bool operator==(const FieldValuesView&, const FieldValuesView&) = default;
  friend bool operator==(const FieldValuesView& v, const FieldValues& f) {
    return v.field == f.field && v.before == f.before && v.after == f.after;
  }
};

/// A change's field values in one allocation: per entry three 4-byte lengths
/// (host byte order), then the field name, the value before and the value
/// after. A 100,000-event first publish adds 100,000 changes of eight values
/// each: as a vector of FieldValues about 0.9 KB a change, here about 0.3 KB
/// (docs/performance.md, "Changes in one buffer").
class FieldValuesList {
 public:
  /// A forward iterator whose elements are FieldValuesView values (not references).
  class const_iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = FieldValuesView;
    using difference_type = std::ptrdiff_t;
    using reference = FieldValuesView;

    const_iterator() = default;
    FieldValuesView operator*() const;
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator was = *this;
      ++*this;
      return was;
    }
    friend bool operator==(const const_iterator&, const const_iterator&) = default;

   private:
    friend class FieldValuesList;
    explicit const_iterator(const char* at) : at_(at) {}
    const char* at_ = nullptr;
  };
  using value_type = FieldValuesView;
  using iterator = const_iterator;

  FieldValuesList() = default;
  FieldValuesList(std::initializer_list<FieldValues> items);

  /// Makes room for `entries` more entries holding `text_bytes` bytes of text in all.
  void reserve(std::size_t entries, std::size_t text_bytes);
  /// Appends an entry (texts viewing this list's own entries are copied
  /// first). Throws std::length_error for a text of 4 GiB or more.
  void push_back(std::string_view field, std::string_view before, std::string_view after);
  void push_back(const FieldValues& f) { push_back(f.field, f.before, f.after); }
  void push_back(const FieldValuesView& f) { push_back(f.field, f.before, f.after); }

  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  const_iterator begin() const noexcept { return const_iterator(bytes_.data()); }
  const_iterator end() const noexcept { return const_iterator(bytes_.data() + bytes_.size()); }
  /// The first entry. Throws std::out_of_range when there is none.
  FieldValuesView front() const;
  /// The entry at `index` (found from the first: O(index)). Throws std::out_of_range.
  FieldValuesView at(std::size_t index) const;

  friend bool operator==(const FieldValuesList&, const FieldValuesList&) = default;

 private:
  std::string bytes_;
  std::uint32_t count_ = 0;
};

}  // namespace marquee
