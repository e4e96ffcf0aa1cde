#include "core/field_values.hpp"

#include <array>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace marquee {
namespace {

constexpr std::size_t kHeader = 3 * sizeof(std::uint32_t);

std::array<std::uint32_t, 3> header_at(const char* at) {
  std::array<std::uint32_t, 3> sizes;
  std::memcpy(sizes.data(), at, kHeader);
  return sizes;
}

}  // namespace

FieldValuesView FieldValuesList::const_iterator::operator*() const {
  const auto sizes = header_at(at_);
  const char* text = at_ + kHeader;
  return {std::string_view(text, sizes[0]), std::string_view(text + sizes[0], sizes[1]),
          std::string_view(text + sizes[0] + sizes[1], sizes[2])};
}

FieldValuesList::const_iterator& FieldValuesList::const_iterator::operator++() {
  const auto sizes = header_at(at_);
  at_ += kHeader + sizes[0] + sizes[1] + sizes[2];
  return *this;
}

FieldValuesList::FieldValuesList(std::initializer_list<FieldValues> items) {
  std::size_t text = 0;
  for (const auto& f : items) text += f.field.size() + f.before.size() + f.after.size();
  reserve(items.size(), text);
  for (const auto& f : items) push_back(f);
}

void FieldValuesList::reserve(std::size_t entries, std::size_t text_bytes) {
  bytes_.reserve(bytes_.size() + entries * kHeader + text_bytes);
}

void FieldValuesList::push_back(std::string_view field, std::string_view before, std::string_view after) {
  // Texts viewing this list's own buffer (l.push_back(l.front())) are copied first:
  // appending may move the buffer.
  const std::less<const char*> before_than;
  const char* const begin = bytes_.data();
  const char* const end = begin + bytes_.size();
  for (const std::string_view t : {field, before, after})
    if (!t.empty() && !before_than(t.data(), begin) && before_than(t.data(), end))
      return push_back(FieldValues{std::string(field), std::string(before), std::string(after)});
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (field.size() >= kMax || before.size() >= kMax || after.size() >= kMax || count_ == kMax)
    throw std::length_error("a change's field value of 4 GiB or more");
  const std::array<std::uint32_t, 3> sizes{static_cast<std::uint32_t>(field.size()),
                                           static_cast<std::uint32_t>(before.size()),
                                           static_cast<std::uint32_t>(after.size())};
  bytes_.append(reinterpret_cast<const char*>(sizes.data()), kHeader);
  bytes_.append(field);
  bytes_.append(before);
  bytes_.append(after);
  ++count_;
}

FieldValuesView FieldValuesList::front() const { return at(0); }

FieldValuesView FieldValuesList::at(std::size_t index) const {
  if (index >= count_) throw std::out_of_range("no field value " + std::to_string(index) + " of " + std::to_string(count_));
  auto it = begin();
  for (std::size_t i = 0; i < index; ++i) ++it;
  return *it;
}

}  // namespace marquee
