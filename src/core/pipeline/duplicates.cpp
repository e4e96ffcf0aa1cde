#include "core/pipeline/duplicates.hpp"

#include <algorithm>
#include <unordered_map>

namespace marquee::pipeline {

std::vector<DuplicateGroup> find_duplicates(const std::vector<Registrant>& registrants) {
  using Groups = std::unordered_map<std::string, std::vector<std::size_t>>;
  Groups by_email, by_name_phone;
  by_email.reserve(registrants.size());
  by_name_phone.reserve(registrants.size());
  for (std::size_t i = 0; i < registrants.size(); ++i) {
    const Registrant& r = registrants[i];
    if (!r.active()) continue;
    if (!r.value("email").empty()) by_email[r.value("email")].push_back(i);
    if (!r.value("phone").empty() && !r.value("name").empty())
      by_name_phone[fold_key(r.value("name")) + '\x1f' + r.value("phone")].push_back(i);
  }
  std::vector<DuplicateGroup> out;
  auto collect = [&](const Groups& groups, const char* reason) {
    // Groups in the order of their e-mail (or name and phone), as a sorted map would give them.
    std::vector<std::pair<const std::string*, const std::vector<std::size_t>*>> found;
    for (const auto& [k, members] : groups)
      if (members.size() >= 2) found.emplace_back(&k, &members);
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    for (const auto& [k, members] : found) {
      DuplicateGroup g{reason, *members};
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
