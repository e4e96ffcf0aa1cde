#include "core/pipeline/registrant_values.hpp"

#include <algorithm>

namespace marquee::pipeline {
namespace {

std::size_t index_of(const RegistrantValues::Names& names, std::string_view field) {
  const auto it = std::lower_bound(names.begin(), names.end(), field,
                                   [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  return it != names.end() && *it == field ? static_cast<std::size_t>(it - names.begin()) : names.size();
}

}  // namespace

RegistrantValues::RegistrantValues(std::shared_ptr<const Names> names) : names_(std::move(names)) {
  if (names_) values_.resize(names_->size());
}

RegistrantValues::RegistrantValues(std::initializer_list<std::pair<std::string, std::string>> values) { *this = values; }

RegistrantValues& RegistrantValues::operator=(std::initializer_list<std::pair<std::string, std::string>> values) {
  std::vector<std::string> names;
  for (const auto& [name, value] : values) names.push_back(name);
  *this = RegistrantValues(make_names(std::move(names)));
  for (const auto& [name, value] : values) (*this)[name] = value;
  return *this;
}

std::shared_ptr<const RegistrantValues::Names> RegistrantValues::make_names(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return std::make_shared<const Names>(std::move(names));
}

const std::string* RegistrantValues::find(std::string_view field) const {
  if (!names_) return nullptr;
  const std::size_t i = index_of(*names_, field);
  return i < values_.size() ? &values_[i] : nullptr;
}

RegistrantValues::Slot RegistrantValues::slot(std::shared_ptr<const Names> names, std::string_view field) {
  const std::size_t index = names ? index_of(*names, field) : 0;
  return {std::move(names), index, std::string(field)};
}

const std::string* RegistrantValues::find(const Slot& slot) const {
  if (!names_ || names_ != slot.names) return find(slot.field);
  return slot.index < values_.size() ? &values_[slot.index] : nullptr;
}

std::string& RegistrantValues::operator[](const Slot& slot) {
  if (names_ && names_ == slot.names && slot.index < values_.size()) return values_[slot.index];
  return (*this)[slot.field];
}

std::string& RegistrantValues::operator[](std::string_view field) {
  const Names empty;
  const Names& names = names_ ? *names_ : empty;
  std::size_t i = index_of(names, field);
  if (i < names.size()) return values_[i];
  // A field the shared names lack: this row gets its own list.
  Names more = names;
  more.emplace_back(field);
  auto grown = make_names(std::move(more));
  std::vector<std::string> moved(grown->size());
  for (std::size_t k = 0; k < names.size(); ++k) moved[index_of(*grown, names[k])] = std::move(values_[k]);
  names_ = std::move(grown);
  values_ = std::move(moved);
  return values_[index_of(*names_, field)];
}

}  // namespace marquee::pipeline
