#include "core/pipeline/duplicates.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace marquee::pipeline {

std::vector<DuplicateGroup> find_duplicates(const std::vector<Registrant>& registrants) {
  // (key, registrant) pairs sorted: equal keys are neighbours, in key order
  // (no hash map of strings, no vector per key).
  using Entries = std::vector<std::pair<std::string_view, std::size_t>>;
  Entries by_email, by_name_phone;
  std::vector<std::string> name_phone;  // the made keys, viewed by by_name_phone: reserved, so never moved
  name_phone.reserve(registrants.size());
  by_email.reserve(registrants.size());
  by_name_phone.reserve(registrants.size());
  for (std::size_t i = 0; i < registrants.size(); ++i) {
    const Registrant& r = registrants[i];
    if (!r.active()) continue;
    if (const std::string& email = r.value("email"); !email.empty()) by_email.emplace_back(email, i);
    if (!r.value("phone").empty() && !r.value("name").empty()) {
      name_phone.push_back(fold_key(r.value("name")) + '\x1f' + r.value("phone"));
      by_name_phone.emplace_back(name_phone.back(), i);
    }
  }
  std::vector<DuplicateGroup> out;
  auto collect = [&](Entries& entries, const char* reason) {
    std::sort(entries.begin(), entries.end());
    for (std::size_t i = 0, j = 0; i < entries.size(); i = j) {
      for (j = i + 1; j < entries.size() && entries[j].first == entries[i].first; ++j) {}
      if (j - i < 2) continue;
      DuplicateGroup g{reason, {}};
      for (std::size_t k = i; k < j; ++k) g.members.push_back(entries[k].second);
      std::sort(g.members.begin(), g.members.end(),
                [&](std::size_t a, std::size_t b) { return registrants[a].key < registrants[b].key; });
      out.push_back(std::move(g));
    }
  };
  collect(by_email, "same e-mail");
  collect(by_name_phone, "same name and phone");
  std::stable_sort(out.begin(), out.end(), [&](const DuplicateGroup& a, const DuplicateGroup& b) {
    return registrants[a.members.front()].key < registrants[b.members.front()].key;
  });
  return out;
}

}  // namespace marquee::pipeline
